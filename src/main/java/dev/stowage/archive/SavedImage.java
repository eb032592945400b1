package dev.stowage.archive;

import dev.stowage.model.BlobRef;
import java.util.List;

/** One entry of a save stream's {@code manifest.json}, with its paths resolved to stored blobs. */
public record SavedImage(BlobRef config, List<String> repoTags, List<BlobRef> layers) {
    public SavedImage {
        repoTags = List.copyOf(repoTags);
        layers = List.copyOf(layers);
    }
}
