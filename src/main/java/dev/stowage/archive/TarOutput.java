package dev.stowage.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes the tar records of {@link TreeEntry} entries: a GNU long-name record for a name or link
 * target of 100 bytes or more, a PAX record for numbers too big for the header and for the
 * entry's own keys, the ustar header, the data padded to 512 bytes, and two zero records at the
 * end.
 *
 * <p>The bytes are exactly those commons-compress's {@code TarArchiveOutputStream} writes for the
 * same entry (LONGFILE_GNU, BIGNUMBER_POSIX, ISO-8859-1 names; TarOutputTest holds the two side by
 * side), so archives stay equal across Stowage versions. What differs is the cost: that stream
 * pushes every 512-byte record through four stream layers and builds each header from Strings
 * through a CharsetEncoder. For a volume of 50,000 small files, that was more than a second of
 * JIT compilation and a quarter of the writing thread's time; here a header is one pass over one
 * reused buffer, and file data goes to {@code out} as it comes. Reading stays with
 * commons-compress.
 */
final class TarOutput implements EntryPipe.Sink {
    static final int RECORD = 512;
    private static final int NAME_LENGTH = 100;
    private static final long MAX_ID = 07777777L;
    private static final long MAX_SIZE = 077777777777L;
    private static final int DEFAULT_FILE_MODE = 0100644;
    private static final byte[] ZEROS = new byte[2 * RECORD];
    private static final byte[] LONG_LINK_NAME = "././@LongLink".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAX_PREFIX = "./PaxHeaders.X/".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] header = new byte[RECORD];
    private String current;
    private long expected;
    private long written;

    TarOutput(OutputStream out) {
        this.out = out;
    }

    /** Writes the records that start {@code entry}; its data follows through {@link #write}. */
    @Override
    public void begin(TreeEntry entry) throws IOException {
        if (current != null) {
            throw new IllegalStateException("entry '" + current + "' is not ended");
        }
        if (entry.mode() < 0 || entry.mode() > MAX_ID) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(entry.mode()) + " of '" + entry.name()
                    + "' does not fit a tar header");
        }
        byte[] name = latin1(entry.name());
        byte[] link = latin1(entry.linkName());
        long mtime = entry.mtimeSeconds();
        long recordMtime = mtime < 0 || mtime > MAX_SIZE ? 0 : mtime;
        if (name.length >= NAME_LENGTH) {
            longName(name, TarConstants.LF_GNUTYPE_LONGNAME, recordMtime);
        }
        if (link.length >= NAME_LENGTH) {
            longName(link, TarConstants.LF_GNUTYPE_LONGLINK, recordMtime);
        }
        // A HashMap filled in the same order as commons-compress fills its own: records come out
        // in its iteration order, so the bytes are the same.
        Map<String, String> pax = new HashMap<>();
        bigNumber(pax, "size", entry.size(), MAX_SIZE);
        bigNumber(pax, "gid", entry.groupId(), MAX_ID);
        bigNumber(pax, "mtime", mtime, MAX_SIZE);
        bigNumber(pax, "uid", entry.userId(), MAX_ID);
        bigNumber(pax, "SCHILY.devmajor", entry.devMajor(), MAX_ID);
        bigNumber(pax, "SCHILY.devminor", entry.devMinor(), MAX_ID);
        pax.putAll(entry.pax());
        if (!pax.isEmpty()) {
            paxRecord(entry.name(), pax, recordMtime);
        }
        header(name, entry.mode(), entry.userId(), entry.groupId(), entry.size(), mtime, entry.type(), link,
                entry.devMajor(), entry.devMinor());
        start(entry.name(), entry.type() == TarConstants.LF_DIR ? 0 : entry.size());
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (written + length > expected) {
            throw new IOException("writing " + length + " bytes would exceed the " + expected
                    + " bytes in the header of entry '" + current + "'");
        }
        out.write(bytes, offset, length);
        written += length;
    }

    /** Ends the current entry: its data must be complete; it is padded to a whole record. */
    @Override
    public void end() throws IOException {
        if (current == null) {
            throw new IllegalStateException("no entry to end");
        }
        if (written < expected) {
            throw new IOException("entry '" + current + "' ended after " + written + " of the " + expected
                    + " bytes in its header");
        }
        int tail = (int) (expected % RECORD);
        if (tail != 0) {
            out.write(ZEROS, 0, RECORD - tail);
        }
        current = null;
    }

    /** The end-of-archive marker; {@code out} is flushed, not closed. */
    void finish() throws IOException {
        if (current != null) {
            throw new IllegalStateException("entry '" + current + "' is not ended");
        }
        out.write(ZEROS, 0, 2 * RECORD);
        out.flush();
    }

    private void start(String name, long size) {
        current = name;
        expected = size;
        written = 0;
    }

    private static void bigNumber(Map<String, String> pax, String key, long value, long max) {
        if (value < 0 || value > max) {
            pax.put(key, String.valueOf(value));
        }
    }

    /** A GNU 'L' (name) or 'K' (link target) record: the whole name, NUL-terminated. */
    private void longName(byte[] name, byte type, long mtime) throws IOException {
        header(LONG_LINK_NAME, DEFAULT_FILE_MODE, 0, 0, name.length + 1L, mtime, type, new byte[0], 0, 0);
        start("././@LongLink", name.length + 1L);
        write(name, 0, name.length);
        write(ZEROS, 0, 1);
        end();
    }

    private void paxRecord(String entryName, Map<String, String> pax, long mtime) throws IOException {
        byte[] name = Arrays.copyOf(PAX_PREFIX, PAX_PREFIX.length + entryName.length());
        for (int i = 0; i < entryName.length(); i++) {
            byte c = (byte) (entryName.charAt(i) & 0x7f);
            name[PAX_PREFIX.length + i] = c == 0 || c == '/' || c == '\\' ? (byte) '_' : c;
        }
        if (name.length >= NAME_LENGTH) {
            name = Arrays.copyOf(name, NAME_LENGTH - 1);
        }
        StringBuilder text = new StringBuilder();
        pax.forEach((key, value) -> text.append(paxLine(key, value)));
        byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
        header(name, DEFAULT_FILE_MODE, 0, 0, data.length, mtime, TarConstants.LF_PAX_EXTENDED_HEADER_LC,
                new byte[0], 0, 0);
        start("PAX record of " + entryName, data.length);
        write(data, 0, data.length);
        end();
    }

    /**
     * "LENGTH key=value\n", where LENGTH counts the line's UTF-8 bytes, its own digits included;
     * found as commons-compress finds it (from the same first guess), since a line of 99 or 100
     * bytes could be written either way.
     */
    static String paxLine(String key, String value) {
        int length = key.length() + value.length() + 5;
        String line = length + " " + key + "=" + value + "\n";
        int actual = line.getBytes(StandardCharsets.UTF_8).length;
        while (length != actual) {
            length = actual;
            line = length + " " + key + "=" + value + "\n";
            actual = line.getBytes(StandardCharsets.UTF_8).length;
        }
        return line;
    }

    private void header(byte[] name, int mode, long uid, long gid, long size, long mtime, byte type, byte[] link,
            int devMajor, int devMinor) throws IOException {
        byte[] h = header;
        Arrays.fill(h, (byte) 0);
        System.arraycopy(name, 0, h, 0, Math.min(name.length, NAME_LENGTH));
        octal(mode, h, 100, 8);
        octal(uid, h, 108, 8);
        octal(gid, h, 116, 8);
        octal(size, h, 124, 12);
        octal(mtime, h, 136, 12);
        Arrays.fill(h, 148, 156, (byte) ' '); // the checksum counts its own field as spaces
        h[156] = type;
        System.arraycopy(link, 0, h, 157, Math.min(link.length, NAME_LENGTH));
        if (type == TarConstants.LF_GNUTYPE_LONGNAME) {
            put(h, 257, "ustar  \0"); // commons-compress marks its 'L' records with the GNU magic
        } else {
            put(h, 257, "ustar\0" + "00");
        }
        octal(devMajor, h, 329, 8);
        octal(devMinor, h, 337, 8);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        digits(sum, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.write(h, 0, RECORD);
    }

    /**
     * A numeric field: octal digits with leading zeros and a trailing space; a value that does not
     * fit is written as 0 (its PAX record carries it).
     */
    private static void octal(long value, byte[] h, int offset, int length) {
        boolean fits = value >= 0 && value < 1L << 3 * (length - 1);
        digits(fits ? value : 0, h, offset, length - 1);
        h[offset + length - 1] = ' ';
    }

    private static void digits(long value, byte[] h, int offset, int count) {
        long rest = value;
        for (int i = offset + count - 1; i >= offset; i--) {
            h[i] = (byte) ('0' + (rest & 7));
            rest >>>= 3;
        }
    }

    private static void put(byte[] h, int offset, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            h[offset + i] = (byte) ascii.charAt(i);
        }
    }

    private static byte[] latin1(String name) {
        return name.getBytes(StandardCharsets.ISO_8859_1);
    }
}
