package dev.stowage.archive;

import dev.stowage.fs.NoSpaceException;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A full filesystem under the migration directory, as the error a run stops with: exit code 4,
 * naming the filesystem. Whatever was being written is abandoned (a blob's temp file is deleted),
 * so nothing half-written is ever published; a rerun after space is freed carries on.
 */
final class DiskFull {
    private DiskFull() {
    }

    /** {@code e} as the NO_SPACE error if the filesystem was full, else null. */
    static StowageException of(IOException e, Path path, String writing) {
        if (!NoSpaceException.isNoSpace(e)) {
            return null;
        }
        NoSpaceException full = e instanceof NoSpaceException n ? n : new NoSpaceException(path, e);
        return new StowageException(ExitCode.NO_SPACE, "no space left on " + full.filesystem() + " while " + writing,
                "free space on that filesystem (or use another with --dir), then run the same command again:"
                        + " what is already stored is kept", full);
    }

    /** Rethrows a full filesystem as the NO_SPACE error, anything else as it was. */
    static IOException rethrow(IOException e, Path path, String writing) {
        StowageException full = of(e, path, writing);
        if (full != null) {
            throw full;
        }
        return e;
    }
}
