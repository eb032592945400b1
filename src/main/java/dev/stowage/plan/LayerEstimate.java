package dev.stowage.plan;

import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Estimates each layer's size from image histories. The engine reports a size per history entry;
 * entries that made a layer map, in order, onto the image's diff-ids. Where a history does not
 * fit (entries of zero bytes are ambiguous), the image's remaining size is spread over its layers
 * not yet known, so that the sum per image stays right.
 */
public final class LayerEstimate {
    private LayerEstimate() {
    }

    public static Map<Digest, Long> of(List<ImageInfo> images, Function<Digest, List<Long>> history) {
        Map<Digest, Long> sizes = new HashMap<>();
        for (ImageInfo image : images) {
            List<Digest> layers = image.diffIds();
            if (sizes.keySet().containsAll(layers)) {
                continue;
            }
            List<Long> entries = history.apply(image.id());
            if (entries.size() == layers.size()) {
                for (int i = 0; i < layers.size(); i++) {
                    sizes.putIfAbsent(layers.get(i), entries.get(i));
                }
                continue;
            }
            long known = layers.stream().filter(sizes::containsKey).mapToLong(sizes::get).sum();
            List<Digest> unknown = layers.stream().filter(d -> !sizes.containsKey(d)).distinct().toList();
            long share = unknown.isEmpty() ? 0 : Math.max(0, image.size() - known) / unknown.size();
            unknown.forEach(layer -> sizes.put(layer, share));
        }
        return sizes;
    }
}
