package dev.stowage.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What an export writes, and where. Into the migration directory: the image blobs not stored yet
 * (layer tars exactly as the engine will send them, plus configs), one archive per volume and per
 * changed writable layer (compressed estimates when compressing), and the manifest and journal.
 * Under the daemon's data-root: its staging of the save ({@code docker save} writes every layer of
 * the images it saves under {@code <data-root>/tmp} before it sends the first byte), released once
 * the stream ends.
 */
public final class ExportNeeds {
    /** A container's share of the manifest and the journal (its inspect documents, in both): measured 6 KiB, doubled. */
    static final long METADATA_PER_CONTAINER = 12 << 10;
    static final long METADATA_PER_IMAGE = 1 << 10;
    static final long METADATA_PER_VOLUME = 2 << 10;
    static final long METADATA_BASE = 16 << 10;

    private ExportNeeds() {
    }

    /**
     * The facts an export's plan is built from.
     *
     * @param imageBlobs layer and config blobs still to store, with their bytes
     * @param saveStaging the whole save the daemon stages: every layer of the images to save, stored or not
     * @param images all images, for the manifest
     * @param volumes volume archives still to write (bytes: estimated as stored); inodes: one per archive
     * @param writableLayers writable-layer archives still to write, likewise
     * @param containers all containers, for the manifest and journal
     * @param compression {@code zstd} or {@code none}, for the labels
     */
    public record Facts(String migrationDir, Filesystem migrationFs, String stagingDir, Filesystem stagingFs,
            Amount imageBlobs, Amount saveStaging, long images, Amount volumes, Amount writableLayers,
            long containers, long allVolumes, String compression) {
    }

    public static SpacePlan plan(Facts f) {
        List<SpaceNeed> needs = new ArrayList<>();
        String packed = "none".equals(f.compression()) ? "" : ", " + f.compression();
        needs.add(SpaceNeed.lasting("image blobs", f.imageBlobs().count(), f.imageBlobs().bytes(),
                f.imageBlobs().count(), f.migrationDir(), f.migrationFs()));
        needs.add(SpaceNeed.lasting("volume archives" + packed, f.volumes().count(), f.volumes().bytes(),
                f.volumes().count(), f.migrationDir(), f.migrationFs()));
        needs.add(SpaceNeed.lasting("writable layers" + packed, f.writableLayers().count(),
                f.writableLayers().bytes(), f.writableLayers().count(), f.migrationDir(), f.migrationFs()));
        needs.add(SpaceNeed.lasting("manifest and journal", 2, metadataBytes(f.images(), f.containers(),
                f.allVolumes()), 2, f.migrationDir(), f.migrationFs()));
        if (f.saveStaging().bytes() > 0) {
            needs.add(SpaceNeed.staging("daemon's save", f.saveStaging().count(), f.saveStaging().bytes(),
                    f.saveStaging().inodes(), f.stagingDir(), f.stagingFs()));
        }
        return new SpacePlan("export", needs);
    }

    /** The manifest and the journal: small, but a host with thousands of containers makes them megabytes. */
    static long metadataBytes(long images, long containers, long volumes) {
        return METADATA_BASE + images * METADATA_PER_IMAGE + containers * METADATA_PER_CONTAINER
                + volumes * METADATA_PER_VOLUME;
    }
}
