package dev.stowage.fs;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/** A failed system call: which call, on what, and the errno, so callers can tell ENOENT from ELOOP. */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    ErrnoException(String call, String subject, int errno) {
        super(call + "(" + subject + "): " + describe(errno));
        this.errno = errno;
    }

    static ErrnoException of(String call, byte[] name, LastErrorException cause) {
        return new ErrnoException(call, Names.display(name), cause.getErrorCode());
    }

    public int errno() {
        return errno;
    }

    public boolean isNotFound() {
        return errno == Libc.ENOENT;
    }

    public boolean isExists() {
        return errno == Libc.EEXIST;
    }

    /** The path went through, or ended at, a symlink where none may be (O_NOFOLLOW). */
    public boolean isSymlinkLoop() {
        return errno == Libc.ELOOP;
    }

    public boolean isNotDirectory() {
        return errno == Libc.ENOTDIR;
    }

    public boolean isNoSpace() {
        return errno == Libc.ENOSPC;
    }

    private static final String[] TEXTS = new String[256];

    /** strerror, cached: an errno is described once, not per failed call. */
    private static String describe(int errno) {
        String text = errno >= 0 && errno < TEXTS.length ? TEXTS[errno] : null;
        if (text == null) {
            try {
                text = Libc.strerror(errno) + " (errno " + errno + ")";
            } catch (RuntimeException | LinkageError e) {
                text = "errno " + errno;
            }
            if (errno >= 0 && errno < TEXTS.length) {
                TEXTS[errno] = text;
            }
        }
        return text;
    }
}
