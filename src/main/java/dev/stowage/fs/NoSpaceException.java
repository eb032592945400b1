package dev.stowage.fs;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A write the filesystem refused because it is full (ENOSPC) or the writer's quota is used up
 * (EDQUOT). The JDK reports both as a plain IOException whose message is the C library's text, so
 * they are recognised here, once, and carried with the path that was being written.
 */
public final class NoSpaceException extends IOException {
    private static final long serialVersionUID = 1L;
    private static final String ENOSPC_TEXT = "No space left on device";
    private static final String EDQUOT_TEXT = "Disk quota exceeded";

    private final transient Path path;

    public NoSpaceException(Path path, IOException cause) {
        super(ENOSPC_TEXT + " while writing " + path, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The filesystem as {@code mount point (device)}, or the path's directory if even that cannot be read. */
    public String filesystem() {
        try {
            Path existing = path;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing == null ? path : existing);
            return store.toString();
        } catch (IOException | RuntimeException e) {
            return String.valueOf(path.getParent());
        }
    }

    /** Whether {@code e}, or an exception it wraps, says the filesystem or quota is full. */
    public static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSpaceException) {
                return true;
            }
            if (t instanceof ErrnoException errno && (errno.isNoSpace() || errno.errno() == Libc.EDQUOT)) {
                return true;
            }
            String message = t.getMessage();
            if (t instanceof IOException && message != null
                    && (message.contains(ENOSPC_TEXT) || message.contains(EDQUOT_TEXT))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** {@code e} as a NoSpaceException about {@code path} if it is one, else {@code e} unchanged. */
    public static IOException classify(IOException e, Path path) {
        if (e instanceof NoSpaceException) {
            return e;
        }
        return isNoSpace(e) ? new NoSpaceException(path, e) : e;
    }
}
