package dev.stowage.plan;

import dev.stowage.model.BlobRef;
import dev.stowage.model.ContainerRecord;
import dev.stowage.model.ImageRecord;
import dev.stowage.model.VolumeRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * What an import writes under the target daemon's data-root: the images to load as the target's
 * driver stores them ({@link ImageFootprint}), the daemon's staging of the load ({@code docker load}
 * untars the whole stream under {@code <data-root>/tmp} before it registers a layer, and frees it at
 * the end), the volumes' files, and the containers' writable layers. The migration directory is
 * only read (the journal grows by a few records).
 *
 * <p>Two estimates are deliberately rough, both on the safe side: a volume's files are counted with
 * half a 4 KiB block each on top of their bytes (the rounding of a file's last block), and a
 * compressed writable layer is counted at {@value #COMPRESSED_LAYER_EXPANSION} times its stored
 * size, because the manifest does not record its uncompressed length.
 */
public final class ImportNeeds {
    static final long COMPRESSED_LAYER_EXPANSION = 3;
    static final long ROUNDING_PER_FILE = 2048;

    private ImportNeeds() {
    }

    /**
     * @param loads the images to load (those not on the target yet)
     * @param loadStream the bytes and blobs of the one load stream (each blob once)
     * @param volumes the volumes still to restore
     * @param containers the containers still to create
     */
    public record Facts(String dataRoot, Filesystem dataRootFs, String stagingDir, Filesystem stagingFs, String driver,
            List<ImageRecord> loads, Amount loadStream, List<VolumeRecord> volumes, List<ContainerRecord> containers) {
        public Facts {
            loads = List.copyOf(loads);
            volumes = List.copyOf(volumes);
            containers = List.copyOf(containers);
        }
    }

    public static SpacePlan plan(Facts f) {
        List<SpaceNeed> needs = new ArrayList<>();
        needs.add(SpaceNeed.lasting("images (" + f.driver() + ")", f.loads().size(),
                ImageFootprint.bytes(f.driver(), f.loads()), 0, f.dataRoot(), f.dataRootFs()));
        List<VolumeRecord> withData = f.volumes().stream().filter(VolumeRecord::holdsData).toList();
        long files = withData.stream().mapToLong(VolumeRecord::files).sum();
        long bytes = withData.stream().mapToLong(VolumeRecord::bytes).sum() + files * ROUNDING_PER_FILE;
        needs.add(SpaceNeed.lasting("volume files", withData.size(), bytes, files, f.dataRoot(), f.dataRootFs()));
        List<ContainerRecord> layers = f.containers().stream().filter(c -> c.layer() != null).toList();
        needs.add(SpaceNeed.lasting("writable layers", layers.size(),
                layers.stream().mapToLong(ImportNeeds::layerBytes).sum(), 0, f.dataRoot(), f.dataRootFs()));
        if (f.loadStream().bytes() > 0) {
            needs.add(SpaceNeed.staging("daemon's load", f.loadStream().count(), f.loadStream().bytes(),
                    f.loadStream().inodes(), f.stagingDir(), f.stagingFs()));
        }
        return new SpacePlan("import", needs);
    }

    static long layerBytes(ContainerRecord container) {
        BlobRef layer = container.layer();
        boolean compressed = container.layerCompression() != null && !"none".equals(container.layerCompression());
        return compressed ? layer.size() * COMPRESSED_LAYER_EXPANSION : layer.size();
    }
}
