package dev.stowage.fs;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the JDK lacks, bound by JNA direct mapping (cheaper per call than interface
 * mapping, which matters at one call per file for 50k-file volumes). Paths are NUL-terminated
 * byte arrays: file names are bytes on Linux, and a Java String cannot carry every byte string.
 *
 * <p>Only 64-bit Linux: {@code size_t}, {@code off_t} and {@code dev_t} are Java longs. The
 * {@code O_DIRECTORY}/{@code O_NOFOLLOW} values differ between the generic and the arm/powerpc
 * kernel ABI, so they are chosen by architecture.
 */
final class Libc {
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOATIME = 01000000;
    static final int O_CLOEXEC = 02000000;
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;

    /** utimensat: leave this timestamp as it is (atime: restoring it would only be undone by reads). */
    static final int UTIME_OMIT = (1 << 30) - 2;

    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;

    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;

    static final int STATX_BASIC_STATS = 0x7ff;
    static final int STATX_SIZE = 256;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ENXIO = 6;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int ERANGE = 34;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;
    static final int EDQUOT = 122;
    static final int ENODATA = 61;
    static final int EOPNOTSUPP = 95;

    /** libc.so.6 by its soname: "c" would make JNA search the library path for it. */
    private static final NativeLibrary C = load();

    static {
        String arch = System.getProperty("os.arch", "");
        boolean armAbi = arch.startsWith("aarch64") || arch.startsWith("arm") || arch.startsWith("ppc");
        O_DIRECTORY = armAbi ? 040000 : 0200000;
        O_NOFOLLOW = armAbi ? 0100000 : 0400000;
        Native.register(Libc.class, C);
    }

    private Libc() {
    }

    private static NativeLibrary load() {
        LibraryPath.withoutLdconfig();
        return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
    }

    static native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native long read(int fd, Pointer buf, long count) throws LastErrorException;

    static native long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    static native long pwrite(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    static native long lseek(int fd, long offset, int whence) throws LastErrorException;

    static native int ftruncate(int fd, long length) throws LastErrorException;

    static native int fsync(int fd) throws LastErrorException;

    static native int syncfs(int fd) throws LastErrorException;

    static native int fchown(int fd, int uid, int gid) throws LastErrorException;

    static native int fchmod(int fd, int mode) throws LastErrorException;

    static native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws LastErrorException;

    static native int fchmodat(int dirfd, byte[] path, int mode, int flags) throws LastErrorException;

    /** {@code times} is two timespecs: atime seconds, atime nanos, mtime seconds, mtime nanos. */
    static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

    static native int futimens(int fd, long[] times) throws LastErrorException;

    static native int mkdirat(int dirfd, byte[] path, int mode) throws LastErrorException;

    static native int mkfifoat(int dirfd, byte[] path, int mode) throws LastErrorException;

    static native int symlinkat(byte[] target, int dirfd, byte[] path) throws LastErrorException;

    static native long readlinkat(int dirfd, byte[] path, byte[] buf, long size) throws LastErrorException;

    static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags)
            throws LastErrorException;

    static native int unlinkat(int dirfd, byte[] path, int flags) throws LastErrorException;

    static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf) throws LastErrorException;

    static native long flistxattr(int fd, byte[] list, long size) throws LastErrorException;

    static native long fgetxattr(int fd, byte[] name, byte[] value, long size) throws LastErrorException;

    static native int fsetxattr(int fd, byte[] name, byte[] value, long size, int flags) throws LastErrorException;

    static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

    static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

    static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags)
            throws LastErrorException;

    static native Pointer fdopendir(int fd) throws LastErrorException;

    static native Pointer readdir64(Pointer dir) throws LastErrorException;

    static native int closedir(Pointer dir) throws LastErrorException;

    static native int dup(int fd) throws LastErrorException;

    static native String strerror(int errnum);

    /**
     * {@code mknodat} became a real glibc symbol only in 2.33; older glibc (RHEL 8) exports
     * {@code __xmknodat(version, dirfd, path, mode, dev_t *)} instead, with version 0 on 64-bit.
     */
    static int mknodat(int dirfd, byte[] path, int mode, long dev) {
        Function modern = lookup("mknodat");
        if (modern != null) {
            return modern.invokeInt(new Object[] {dirfd, path, mode, dev});
        }
        Function legacy = lookup("__xmknodat");
        if (legacy == null) {
            throw new UnsupportedOperationException("this libc has neither mknodat nor __xmknodat");
        }
        return legacy.invokeInt(new Object[] {0, dirfd, path, mode, new long[] {dev}});
    }

    private static Function lookup(String name) {
        try {
            return C.getFunction(name, Function.THROW_LAST_ERROR);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** glibc's {@code makedev}: the 64-bit dev_t layout the kernel's new_encode_dev expects. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    /** The NUL-terminated copy of {@code bytes} that C expects. */
    static byte[] cString(byte[] bytes) {
        byte[] c = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, c, 0, bytes.length);
        return c;
    }
}
