package dev.stowage.model;

import java.util.Map;
import java.util.Objects;

/**
 * A volume, as the manifest keeps it.
 *
 * @param anonymous true for a volume Docker named itself (64 hex characters)
 * @param data the tar of its content (root entry included), or null when its driver keeps the data
 * @param compression how {@code data} is compressed: {@code none} or {@code zstd}
 * @param treeDigest the digest over paths, contents and metadata of its tree, to verify an import
 */
public record VolumeRecord(
        String name,
        String driver,
        Map<String, String> labels,
        Map<String, String> options,
        boolean anonymous,
        BlobRef data,
        String compression,
        String treeDigest,
        long files,
        long bytes) {

    public VolumeRecord {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        options = Map.copyOf(options == null ? Map.of() : options);
    }

    /** Local volumes with a device or type option are mounts of something else: their data is not ours. */
    public boolean holdsData() {
        return data != null;
    }
}
