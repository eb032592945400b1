package dev.stowage.plan;

import dev.stowage.model.BlobRef;
import dev.stowage.model.ImageRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How much room images take once a storage driver has them. A driver stores a layer per chain (the
 * layer with everything under it), so the same diff on two different parents is stored twice.
 * Layered drivers (overlay2, btrfs, zfs, fuse-overlayfs...) store each chain's own diff once; vfs
 * stores each chain as a full copy of the root filesystem up to it: the sum of the layers' sizes
 * from the bottom to it. Sizes are the layer tars' lengths (the content plus 512-byte headers),
 * which is close to what extraction allocates except for layers of many tiny files.
 */
public final class ImageFootprint {
    private ImageFootprint() {
    }

    /** Bytes the images take on {@code driver}; a chain shared by several images counts once. */
    public static long bytes(String driver, List<ImageRecord> images) {
        boolean fullCopies = isFullCopy(driver);
        Set<String> chains = new HashSet<>();
        long total = 0;
        for (ImageRecord image : images) {
            StringBuilder chain = new StringBuilder();
            long cumulative = 0;
            for (BlobRef layer : image.layers()) {
                chain.append('/').append(layer.digest().hex());
                cumulative += layer.size();
                if (chains.add(chain.toString())) {
                    total += fullCopies ? cumulative : layer.size();
                }
            }
        }
        return total;
    }

    /** The chains (stored layers) the images make; shared ones count once. */
    public static long layers(List<ImageRecord> images) {
        Set<String> chains = new HashSet<>();
        for (ImageRecord image : images) {
            StringBuilder chain = new StringBuilder();
            for (BlobRef layer : image.layers()) {
                chains.add(chain.append('/').append(layer.digest().hex()).toString());
            }
        }
        return chains.size();
    }

    /** vfs copies the whole root filesystem for every layer. */
    public static boolean isFullCopy(String driver) {
        return driver != null && driver.toLowerCase(Locale.ROOT).equals("vfs");
    }
}
