package dev.stowage.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The index of one export: written once, atomically, when the export is complete. Import reads
 * only this and the blobs it names.
 */
public record Manifest(
        int formatVersion,
        String toolVersion,
        Instant createdAt,
        DaemonFacts source,
        List<ImageRecord> images) {

    /** Bumped whenever a reader of the previous version would misread a new manifest. */
    public static final int FORMAT_VERSION = 1;

    public Manifest {
        Objects.requireNonNull(source, "source");
        images = List.copyOf(images == null ? List.of() : images);
    }

    /** Every blob the manifest needs, each once, in first-use order. */
    public Map<Digest, BlobRef> blobs() {
        Map<Digest, BlobRef> blobs = new LinkedHashMap<>();
        for (ImageRecord image : images) {
            for (BlobRef layer : image.layers()) {
                blobs.putIfAbsent(layer.digest(), layer);
            }
            blobs.putIfAbsent(image.config().digest(), image.config());
        }
        return blobs;
    }

    public long uniqueBytes() {
        return blobs().values().stream().mapToLong(BlobRef::size).sum();
    }

    /** Bytes as if every image were stored on its own: the figure dedup is measured against. */
    public long logicalBytes() {
        return images.stream().mapToLong(i -> i.layerBytes() + i.config().size()).sum();
    }
}
