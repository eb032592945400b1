package dev.stowage.fs;

import com.sun.jna.LastErrorException;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads every extended attribute of one inode, whatever its namespace (user, trusted, security,
 * system.posix_acl_*): root can read them all. Names are latin1 Strings, values raw bytes; the
 * map is sorted by name, so callers get a deterministic order.
 */
final class Xattrs {
    private static final int INITIAL = 256;

    /** One inode's list and get calls, by fd or by path; both fill a buffer and return its length. */
    interface Source {
        long list(byte[] buffer, long size);

        long get(byte[] cName, byte[] buffer, long size);
    }

    /** A call that fills {@code buffer} up to {@code size} bytes and returns the length used. */
    private interface Fill {
        long call(byte[] buffer, long size);
    }

    private Xattrs() {
    }

    static SortedMap<String, byte[]> read(Source source, String subject) throws ErrnoException {
        byte[] list;
        try {
            list = fill(subject, "listxattr", source::list);
        } catch (ErrnoException e) {
            if (e.errno() == Libc.EOPNOTSUPP) {
                return Collections.emptySortedMap(); // a filesystem without xattrs has none to keep
            }
            throw e;
        }
        if (list.length == 0) {
            return Collections.emptySortedMap();
        }
        SortedMap<String, byte[]> result = new TreeMap<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] != 0) {
                continue;
            }
            if (i > start) {
                byte[] cName = Arrays.copyOfRange(list, start, i + 1);
                try {
                    byte[] value = fill(subject, "getxattr", (buf, size) -> source.get(cName, buf, size));
                    result.put(Names.latin1(Arrays.copyOf(cName, cName.length - 1)), value);
                } catch (ErrnoException e) {
                    if (e.errno() != Libc.ENODATA) {
                        throw e;
                    } // else: removed between list and get
                }
            }
            start = i + 1;
        }
        return result;
    }

    /** Calls with a guessed buffer, asking for the size on ERANGE (the value may grow between calls). */
    private static byte[] fill(String subject, String call, Fill fill) throws ErrnoException {
        int size = INITIAL;
        for (int attempt = 0; ; attempt++) {
            byte[] buffer = new byte[size];
            try {
                long n = fill.call(buffer, size);
                return Arrays.copyOf(buffer, (int) n);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Libc.ERANGE || attempt >= 8) {
                    throw new ErrnoException(call, subject, e.getErrorCode());
                }
                try {
                    size = (int) Math.max(size * 2L, fill.call(null, 0));
                } catch (LastErrorException again) {
                    throw new ErrnoException(call, subject, again.getErrorCode());
                }
            }
        }
    }
}
