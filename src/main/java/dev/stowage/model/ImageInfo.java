package dev.stowage.model;

import java.util.List;

/**
 * An image as a live daemon describes it.
 *
 * @param diffIds the uncompressed layer digests, lowest first
 * @param size the image's total size as the engine reports it (shared layers counted in full)
 */
public record ImageInfo(
        Digest id,
        List<String> repoTags,
        List<String> repoDigests,
        String created,
        List<Digest> diffIds,
        long size) {

    public ImageInfo {
        repoTags = List.copyOf(repoTags == null ? List.of() : repoTags);
        repoDigests = List.copyOf(repoDigests == null ? List.of() : repoDigests);
        diffIds = List.copyOf(diffIds == null ? List.of() : diffIds);
    }

    public boolean tagged() {
        return !repoTags.isEmpty();
    }

    public String label() {
        return repoTags.isEmpty() ? id.shortHex() : repoTags.get(0);
    }
}
