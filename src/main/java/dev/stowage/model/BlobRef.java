package dev.stowage.model;

import java.util.Objects;

/** A blob as the manifest names it: its digest and its exact length in bytes. */
public record BlobRef(Digest digest, long size) {
    public BlobRef {
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("negative blob size");
        }
    }
}
