package dev.stowage.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * An open directory, and every operation on a name inside it. All of them act on the name itself
 * and never follow it if it is a symlink ({@code O_NOFOLLOW}, {@code AT_SYMLINK_NOFOLLOW},
 * {@code O_EXCL}), and a child directory can only be opened if it is a real directory. So a walk
 * made of {@link #openDir} calls can never leave the tree it started in, whatever symlinks the
 * tree holds or gains meanwhile.
 */
public final class DirHandle implements AutoCloseable {
    private static final int DIR_FLAGS = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC;

    private final int fd;
    private final String label;
    private boolean closed;

    private DirHandle(int fd, String label) {
        this.fd = fd;
        this.label = label;
    }

    /** Opens {@code dir} itself; symlinks in the given path are followed (the caller chose it). */
    public static DirHandle open(Path dir) throws IOException {
        byte[] path = dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        try {
            return new DirHandle(Libc.openat(Libc.AT_FDCWD, Libc.cString(path), DIR_FLAGS, 0), dir.toString());
        } catch (LastErrorException e) {
            throw ErrnoException.of("open", path, e);
        }
    }

    /** Opens child directory {@code name}; ELOOP if it is a symlink, ENOTDIR if it is something else. */
    public DirHandle openDir(byte[] name) throws ErrnoException {
        try {
            int child = Libc.openat(fd, Libc.cString(name), DIR_FLAGS | Libc.O_NOFOLLOW, 0);
            return new DirHandle(child, label + "/" + Names.display(name));
        } catch (LastErrorException e) {
            throw ErrnoException.of("openat", name, e);
        }
    }

    /** The names in this directory, without "." and "..", in the order the filesystem gives. */
    public List<byte[]> list() throws ErrnoException {
        List<byte[]> names = new ArrayList<>();
        Pointer stream;
        try {
            stream = Libc.fdopendir(Libc.dup(fd)); // closedir closes the fd it is given
        } catch (LastErrorException e) {
            throw new ErrnoException("fdopendir", label, e.getErrorCode());
        }
        try {
            for (Pointer entry; (entry = Libc.readdir64(stream)) != null; ) {
                int reclen = Short.toUnsignedInt(entry.getShort(16));
                byte[] raw = entry.getByteArray(19, reclen - 19);
                int length = 0;
                while (length < raw.length && raw[length] != 0) {
                    length++;
                }
                if ((length == 1 && raw[0] == '.') || (length == 2 && raw[0] == '.' && raw[1] == '.')) {
                    continue;
                }
                names.add(java.util.Arrays.copyOf(raw, length));
            }
        } catch (LastErrorException e) {
            throw new ErrnoException("readdir", label, e.getErrorCode());
        } finally {
            Libc.closedir(stream);
        }
        return names;
    }

    public FileStat stat() throws ErrnoException {
        return statAt(new byte[1], Libc.AT_EMPTY_PATH, label);
    }

    public FileStat stat(byte[] name) throws ErrnoException {
        return statAt(Libc.cString(name), Libc.AT_SYMLINK_NOFOLLOW, Names.display(name));
    }

    private FileStat statAt(byte[] cPath, int flags, String subject) throws ErrnoException {
        byte[] raw = new byte[Libc.STATX_SIZE];
        try {
            Libc.statx(fd, cPath, flags, Libc.STATX_BASIC_STATS, raw);
        } catch (LastErrorException e) {
            throw new ErrnoException("statx", subject, e.getErrorCode());
        }
        return FileStat.decode(raw);
    }

    public byte[] readLink(byte[] name) throws ErrnoException {
        byte[] cName = Libc.cString(name);
        for (int size = 256; ; size *= 4) {
            byte[] buffer = new byte[size];
            try {
                long n = Libc.readlinkat(fd, cName, buffer, size);
                if (n < size) {
                    return java.util.Arrays.copyOf(buffer, (int) n);
                }
            } catch (LastErrorException e) {
                throw ErrnoException.of("readlinkat", name, e);
            }
        }
    }

    /** Opens regular file {@code name} for reading, without touching its atime where allowed. */
    public FileHandle openRead(byte[] name) throws ErrnoException {
        byte[] cName = Libc.cString(name);
        int flags = Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;
        try {
            return new FileHandle(Libc.openat(fd, cName, flags | Libc.O_NOATIME, 0), name);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Libc.EPERM) {
                throw ErrnoException.of("openat", name, e);
            }
        }
        try {
            return new FileHandle(Libc.openat(fd, cName, flags, 0), name);
        } catch (LastErrorException e) {
            throw ErrnoException.of("openat", name, e);
        }
    }

    /** Creates {@code name} as a new empty file; EEXIST if anything (even a dangling symlink) is there. */
    public FileHandle createFile(byte[] name, int mode) throws ErrnoException {
        int flags = Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;
        try {
            return new FileHandle(Libc.openat(fd, Libc.cString(name), flags, mode), name);
        } catch (LastErrorException e) {
            throw ErrnoException.of("openat", name, e);
        }
    }

    public void createDir(byte[] name, int mode) throws ErrnoException {
        try {
            Libc.mkdirat(fd, Libc.cString(name), mode);
        } catch (LastErrorException e) {
            throw ErrnoException.of("mkdirat", name, e);
        }
    }

    public void createSymlink(byte[] name, byte[] target) throws ErrnoException {
        try {
            Libc.symlinkat(Libc.cString(target), fd, Libc.cString(name));
        } catch (LastErrorException e) {
            throw ErrnoException.of("symlinkat", name, e);
        }
    }

    public void createFifo(byte[] name, int mode) throws ErrnoException {
        try {
            Libc.mkfifoat(fd, Libc.cString(name), mode);
        } catch (LastErrorException e) {
            throw ErrnoException.of("mkfifoat", name, e);
        }
    }

    public void createDevice(byte[] name, FileType type, int mode, long major, long minor) throws ErrnoException {
        int kind = type == FileType.BLOCK_DEVICE ? Libc.S_IFBLK : Libc.S_IFCHR;
        try {
            Libc.mknodat(fd, Libc.cString(name), kind | (mode & 07777), Libc.makedev(major, minor));
        } catch (LastErrorException e) {
            throw ErrnoException.of("mknodat", name, e);
        }
    }

    /**
     * Makes {@code name} a hardlink to {@code targetName} in {@code targetDir}. Without
     * AT_SYMLINK_FOLLOW, linkat links a symlink itself, never what it points to.
     */
    public void createLink(byte[] name, DirHandle targetDir, byte[] targetName) throws ErrnoException {
        try {
            Libc.linkat(targetDir.fd, Libc.cString(targetName), fd, Libc.cString(name), 0);
        } catch (LastErrorException e) {
            throw ErrnoException.of("linkat", name, e);
        }
    }

    /** Removes {@code name}: an empty directory if {@code directory}, any other inode otherwise. */
    public void remove(byte[] name, boolean directory) throws ErrnoException {
        try {
            Libc.unlinkat(fd, Libc.cString(name), directory ? Libc.AT_REMOVEDIR : 0);
        } catch (LastErrorException e) {
            throw ErrnoException.of("unlinkat", name, e);
        }
    }

    /** Sets the owner of {@code name} itself (a symlink's own owner, not its target's). */
    public void chown(byte[] name, int uid, int gid) throws ErrnoException {
        try {
            Libc.fchownat(fd, Libc.cString(name), uid, gid, Libc.AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw ErrnoException.of("fchownat", name, e);
        }
    }

    /** Sets the mode of {@code name}, which the caller just created and knows is not a symlink. */
    public void chmod(byte[] name, int permissions) throws ErrnoException {
        try {
            Libc.fchmodat(fd, Libc.cString(name), permissions & 07777, 0);
        } catch (LastErrorException e) {
            throw ErrnoException.of("fchmodat", name, e);
        }
    }

    /** Sets the mtime of {@code name} itself (also of a symlink); atime is left alone. */
    public void setMtime(byte[] name, long seconds, int nanos) throws ErrnoException {
        try {
            Libc.utimensat(fd, Libc.cString(name), new long[] {0, Libc.UTIME_OMIT, seconds, nanos},
                    Libc.AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw ErrnoException.of("utimensat", name, e);
        }
    }

    public void chown(int uid, int gid) throws ErrnoException {
        FileHandle.fchown(fd, uid, gid, label);
    }

    public void chmod(int permissions) throws ErrnoException {
        FileHandle.fchmod(fd, permissions, label);
    }

    public void setMtime(long seconds, int nanos) throws ErrnoException {
        FileHandle.futimens(fd, seconds, nanos, label);
    }

    /** The directory's own extended attributes. */
    public SortedMap<String, byte[]> xattrs() throws ErrnoException {
        return FileHandle.fxattrs(fd, label);
    }

    public void setXattr(String key, byte[] value) throws ErrnoException {
        FileHandle.fsetxattr(fd, key, value, label);
    }

    /**
     * The extended attributes of {@code name} itself, also for symlinks, fifos and devices, which
     * cannot be opened for fgetxattr. The path goes through /proc/self/fd, so it is resolved from
     * this open directory, not from a path string that could have changed.
     */
    public SortedMap<String, byte[]> xattrs(byte[] name) throws ErrnoException {
        byte[] path = procPath(name);
        return Xattrs.read(new Xattrs.Source() {
            @Override
            public long list(byte[] buffer, long size) {
                return Libc.llistxattr(path, buffer, size);
            }

            @Override
            public long get(byte[] cName, byte[] buffer, long size) {
                return Libc.lgetxattr(path, cName, buffer, size);
            }
        }, Names.display(name));
    }

    public void setXattr(byte[] name, String key, byte[] value) throws ErrnoException {
        try {
            Libc.lsetxattr(procPath(name), Libc.cString(Names.bytes(key)), value, value.length, 0);
        } catch (LastErrorException e) {
            throw new ErrnoException("lsetxattr", Names.display(name) + ", " + key, e.getErrorCode());
        }
    }

    private byte[] procPath(byte[] name) {
        byte[] prefix = ("/proc/self/fd/" + fd + "/").getBytes(StandardCharsets.US_ASCII);
        byte[] path = new byte[prefix.length + name.length + 1];
        System.arraycopy(prefix, 0, path, 0, prefix.length);
        System.arraycopy(name, 0, path, prefix.length, name.length);
        return path;
    }

    /** Flushes the directory's entries to disk. */
    public void sync() throws ErrnoException {
        FileHandle.fsync(fd, label);
    }

    /** Flushes the whole filesystem this directory is on: one call instead of an fsync per file. */
    public void syncFilesystem() throws ErrnoException {
        try {
            Libc.syncfs(fd);
        } catch (LastErrorException e) {
            throw new ErrnoException("syncfs", label, e.getErrorCode());
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                Libc.close(fd);
            } catch (LastErrorException ignored) {
                // close of a directory fd has nothing to flush, so nothing is lost
            }
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
