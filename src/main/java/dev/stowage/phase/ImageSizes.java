package dev.stowage.phase;

import dev.stowage.docker.DaemonClient;
import dev.stowage.docker.LayerDb;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import dev.stowage.plan.LayerEstimate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The lengths of the blobs a save of some images will bring: each layer's tar, exact from the
 * daemon's tar-split records when Stowage runs on the daemon's host ({@link LayerDb}), else
 * estimated from the image histories ({@link LayerEstimate}, one API call per image that needs
 * it); and each config's length, from the daemon's image store or a guess.
 */
final class ImageSizes {
    /** An image config's length when the daemon's store cannot be read: they run from 1 to 10 KiB. */
    static final long CONFIG_GUESS = 8 << 10;

    private ImageSizes() {
    }

    /** Layer lengths by diff-id; fills {@code configs} with config lengths by image ID. */
    static Map<Digest, Long> of(DaemonClient daemon, List<ImageInfo> images, Map<Digest, Long> configs) {
        DaemonFacts facts = daemon.facts();
        Path root = Path.of(facts.dataRoot() == null ? "/var/lib/docker" : facts.dataRoot());
        String driver = facts.storageDriver() == null ? "" : facts.storageDriver();
        Map<Digest, Long> sizes = new HashMap<>();
        List<ImageInfo> needHistory = new ArrayList<>();
        for (ImageInfo image : images) {
            List<Digest> diffIds = image.diffIds();
            for (int i = 0; i < diffIds.size(); i++) {
                Digest layer = diffIds.get(i);
                if (!sizes.containsKey(layer)) {
                    OptionalLong exact = LayerDb.tarSize(root, driver, diffIds.subList(0, i + 1));
                    exact.ifPresent(size -> sizes.put(layer, size));
                }
            }
            if (!sizes.keySet().containsAll(diffIds)) {
                needHistory.add(image);
            }
            configs.put(image.id(), LayerDb.configSize(root, driver, image.id()).orElse(CONFIG_GUESS));
        }
        LayerEstimate.of(needHistory, daemon::layerSizes).forEach(sizes::putIfAbsent);
        return sizes;
    }
}
