package dev.stowage.archive;

import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;

/** A stored blob whose bytes no longer match its name. */
public final class BlobCorruptException extends StowageException {
    private static final long serialVersionUID = 1L;

    private final transient Digest digest;

    public BlobCorruptException(Digest digest, String problem) {
        super(ExitCode.VERIFY, "blob " + digest + " is corrupt: " + problem,
                "the export is damaged; run `stowage storage export` again against the source daemon"
                        + " (it rewrites only the damaged blobs), or restore the migration directory from a copy");
        this.digest = digest;
    }

    public Digest digest() {
        return digest;
    }
}
