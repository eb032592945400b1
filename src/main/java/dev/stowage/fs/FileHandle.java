package dev.stowage.fs;

import com.sun.jna.LastErrorException;
import java.util.SortedMap;

/** An open regular file: reads and writes by offset, hole discovery, and its own metadata. */
public final class FileHandle implements AutoCloseable {

    private final int fd;
    private final String label;
    private boolean closed;

    FileHandle(int fd, byte[] name) {
        this.fd = fd;
        this.label = Names.display(name);
    }

    public FileStat stat() throws ErrnoException {
        byte[] raw = new byte[Libc.STATX_SIZE];
        try {
            Libc.statx(fd, new byte[1], Libc.AT_EMPTY_PATH, Libc.STATX_BASIC_STATS, raw);
        } catch (LastErrorException e) {
            throw new ErrnoException("statx", label, e.getErrorCode());
        }
        return FileStat.decode(raw);
    }

    /** Reads up to {@code length} bytes at {@code offset} into {@code buffer.array()}; 0 at end of file. */
    public int read(NativeBuffer buffer, int length, long offset) throws ErrnoException {
        return read(buffer, buffer.array(), 0, length, offset);
    }

    /**
     * Reads up to {@code length} bytes at {@code offset} into {@code into} from {@code at}, through
     * {@code scratch}'s native side (at most its size); 0 at end of file.
     */
    public int read(NativeBuffer scratch, byte[] into, int at, int length, long offset) throws ErrnoException {
        try {
            int n = (int) Libc.pread(fd, scratch.memory, Math.min(length, scratch.size()), offset);
            scratch.memory.read(0, into, at, n);
            return n;
        } catch (LastErrorException e) {
            throw new ErrnoException("pread", label, e.getErrorCode());
        }
    }

    /** Writes the first {@code length} bytes of {@code buffer.array()} at {@code offset}. */
    public void write(NativeBuffer buffer, int length, long offset) throws ErrnoException {
        buffer.toNative(length);
        long done = 0;
        while (done < length) {
            try {
                done += Libc.pwrite(fd, buffer.memory.share(done), length - done, offset + done);
            } catch (LastErrorException e) {
                throw new ErrnoException("pwrite", label, e.getErrorCode());
            }
        }
    }

    /** The first offset at or after {@code offset} that holds data, or -1 if only a hole follows. */
    public long nextData(long offset) throws ErrnoException {
        return seek(offset, Libc.SEEK_DATA);
    }

    /** The first offset at or after {@code offset} inside a hole (the size if none: EOF is a hole). */
    public long nextHole(long offset) throws ErrnoException {
        return seek(offset, Libc.SEEK_HOLE);
    }

    private long seek(long offset, int whence) throws ErrnoException {
        try {
            return Libc.lseek(fd, offset, whence);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ENXIO) {
                return -1;
            }
            throw new ErrnoException("lseek", label, e.getErrorCode());
        }
    }

    /** Whether this filesystem can report holes (SEEK_DATA); some answer EINVAL or EOPNOTSUPP. */
    public boolean canFindHoles() {
        try {
            Libc.lseek(fd, 0, Libc.SEEK_DATA);
            return true;
        } catch (LastErrorException e) {
            return e.getErrorCode() == Libc.ENXIO;
        }
    }

    /** Sets the size: extending leaves a hole, which is how a sparse file gets its tail. */
    public void truncate(long size) throws ErrnoException {
        try {
            Libc.ftruncate(fd, size);
        } catch (LastErrorException e) {
            throw new ErrnoException("ftruncate", label, e.getErrorCode());
        }
    }

    public void chown(int uid, int gid) throws ErrnoException {
        fchown(fd, uid, gid, label);
    }

    public void chmod(int permissions) throws ErrnoException {
        fchmod(fd, permissions, label);
    }

    public void setMtime(long seconds, int nanos) throws ErrnoException {
        futimens(fd, seconds, nanos, label);
    }

    public SortedMap<String, byte[]> xattrs() throws ErrnoException {
        return fxattrs(fd, label);
    }

    public void setXattr(String key, byte[] value) throws ErrnoException {
        fsetxattr(fd, key, value, label);
    }

    public void sync() throws ErrnoException {
        fsync(fd, label);
    }

    @Override
    public void close() throws ErrnoException {
        if (!closed) {
            closed = true;
            try {
                Libc.close(fd);
            } catch (LastErrorException e) {
                // close reports delayed write errors (NFS, quota): they mean lost data
                throw new ErrnoException("close", label, e.getErrorCode());
            }
        }
    }

    static void fchown(int fd, int uid, int gid, String label) throws ErrnoException {
        try {
            Libc.fchown(fd, uid, gid);
        } catch (LastErrorException e) {
            throw new ErrnoException("fchown", label, e.getErrorCode());
        }
    }

    static void fchmod(int fd, int permissions, String label) throws ErrnoException {
        try {
            Libc.fchmod(fd, permissions & 07777);
        } catch (LastErrorException e) {
            throw new ErrnoException("fchmod", label, e.getErrorCode());
        }
    }

    static void futimens(int fd, long seconds, int nanos, String label) throws ErrnoException {
        try {
            Libc.futimens(fd, new long[] {0, Libc.UTIME_OMIT, seconds, nanos});
        } catch (LastErrorException e) {
            throw new ErrnoException("futimens", label, e.getErrorCode());
        }
    }

    static SortedMap<String, byte[]> fxattrs(int fd, String label) throws ErrnoException {
        return Xattrs.read(new Xattrs.Source() {
            @Override
            public long list(byte[] buffer, long size) {
                return Libc.flistxattr(fd, buffer, size);
            }

            @Override
            public long get(byte[] cName, byte[] buffer, long size) {
                return Libc.fgetxattr(fd, cName, buffer, size);
            }
        }, label);
    }

    static void fsetxattr(int fd, String key, byte[] value, String label) throws ErrnoException {
        try {
            Libc.fsetxattr(fd, Libc.cString(Names.bytes(key)), value, value.length, 0);
        } catch (LastErrorException e) {
            throw new ErrnoException("fsetxattr", label + ", " + key, e.getErrorCode());
        }
    }

    static void fsync(int fd, String label) throws ErrnoException {
        try {
            Libc.fsync(fd);
        } catch (LastErrorException e) {
            throw new ErrnoException("fsync", label, e.getErrorCode());
        }
    }
}
