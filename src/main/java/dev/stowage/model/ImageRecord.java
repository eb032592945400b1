package dev.stowage.model;

import java.util.List;
import java.util.Objects;

/**
 * One image in an export. {@code id} is the digest of {@code config}, so an image loaded from
 * these blobs gets the same ID. {@code layers} are the uncompressed layer tars (their digests are
 * the image's diff-ids), lowest first.
 *
 * @param repoDigests recorded for the report; {@code docker load} cannot restore them
 * @param created the image's creation time, as the engine printed it
 */
public record ImageRecord(
        Digest id,
        List<String> repoTags,
        List<String> repoDigests,
        String created,
        BlobRef config,
        List<BlobRef> layers) {

    public ImageRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(config, "config");
        repoTags = List.copyOf(repoTags == null ? List.of() : repoTags);
        repoDigests = List.copyOf(repoDigests == null ? List.of() : repoDigests);
        layers = List.copyOf(layers == null ? List.of() : layers);
        if (!id.equals(config.digest())) {
            throw new IllegalArgumentException("image " + id + " has config " + config.digest());
        }
    }

    /** The name an operator knows the image by: its first tag, else its short ID. */
    public String label() {
        return repoTags.isEmpty() ? id.shortHex() : repoTags.get(0);
    }

    public long layerBytes() {
        return layers.stream().mapToLong(BlobRef::size).sum();
    }
}
