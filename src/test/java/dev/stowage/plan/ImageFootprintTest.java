package dev.stowage.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stowage.model.BlobRef;
import dev.stowage.model.ContainerRecord;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageRecord;
import dev.stowage.model.VolumeRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageFootprintTest {
    static final BlobRef BASE = blob('1', 100);
    static final BlobRef APP = blob('2', 10);
    static final BlobRef TOOLS = blob('3', 20);

    // base <- app, base <- tools, and tools alone at the bottom of another image
    static final ImageRecord A = image('a', BASE, APP);
    static final ImageRecord B = image('b', BASE, TOOLS);
    static final ImageRecord C = image('c', TOOLS);

    @Test
    void layeredDriversStoreEachChainOnce() {
        assertEquals(100 + 10 + 20 + 20, ImageFootprint.bytes("overlay2", List.of(A, B, C)),
                "the shared base once; tools twice, on two different parents");
        assertEquals(4, ImageFootprint.layers(List.of(A, B, C)));
    }

    @Test
    void vfsStoresEveryChainAsAFullCopy() {
        assertEquals(100 + 110 + 120 + 20, ImageFootprint.bytes("vfs", List.of(A, B, C)));
    }

    @Test
    void importCountsVolumeRoundingAndExpandsCompressedLayers() {
        Filesystem fs = SpacePlanTest.ROOT;
        VolumeRecord data = new VolumeRecord("data", "local", Map.of(), Map.of(), false, blob('9', 50), "zstd", "t",
                10, 1000);
        VolumeRecord nfs = new VolumeRecord("nfs", "local", Map.of(), Map.of("type", "nfs"), false, null, null, null,
                0, 0);
        ContainerRecord packed = container("web", blob('7', 300), "zstd");
        ContainerRecord plain = container("db", blob('8', 300), "none");
        SpacePlan plan = ImportNeeds.plan(new ImportNeeds.Facts("/var/lib/docker", fs, "/var/lib/docker/tmp", fs,
                "vfs", List.of(A), new Amount(3, 111, 9), List.of(data, nfs), List.of(packed, plain)));
        Map<String, Long> bytes = new java.util.HashMap<>();
        plan.needs().forEach(n -> bytes.put(n.what(), n.bytes()));
        assertEquals(100L + 110, bytes.get("images (vfs)"));
        assertEquals(1000L + 10 * ImportNeeds.ROUNDING_PER_FILE, bytes.get("volume files"));
        assertEquals(300L * ImportNeeds.COMPRESSED_LAYER_EXPANSION + 300, bytes.get("writable layers"));
        assertEquals(111L, bytes.get("daemon's load"));
        assertEquals(210 + 1000 + 10 * ImportNeeds.ROUNDING_PER_FILE + 1200 + 111,
                plan.budgets().get(0).neededBytes(), "one filesystem: everything that stays plus the staging");
    }

    @Test
    void exportPutsTheSaveStagingOnTheDataRootsFilesystem() {
        Filesystem migration = SpacePlanTest.SMALL;
        Filesystem dataRoot = SpacePlanTest.ROOT;
        SpacePlan plan = ExportNeeds.plan(new ExportNeeds.Facts("/mnt/small/m", migration, "/var/lib/docker/tmp",
                dataRoot, new Amount(4, 40 << 20, 4), new Amount(2, 50 << 20, 12), 2, new Amount(1, 5 << 20, 1),
                Amount.NONE, 3, 1, "zstd"));
        assertEquals(2, plan.budgets().size());
        assertEquals((40 << 20) + (5 << 20) + ExportNeeds.metadataBytes(2, 3, 1), plan.bytesInto("/mnt/small/m"));
        assertEquals(50L << 20, plan.budgetOf("/var/lib/docker/tmp").orElseThrow().neededBytes());
        assertEquals("volume archives, zstd", plan.needs().get(1).what());
    }

    static BlobRef blob(char c, long size) {
        return new BlobRef(new Digest(String.valueOf(c).repeat(64)), size);
    }

    static ImageRecord image(char c, BlobRef... layers) {
        BlobRef config = blob(c, 1);
        return new ImageRecord(config.digest(), List.of(), List.of(), "", config, List.of(layers));
    }

    static ContainerRecord container(String name, BlobRef layer, String compression) {
        return new ContainerRecord(name + "-id", name, blob('a', 1).digest(), "img", "exited", 0, false, null, null,
                Map.of(), layer, compression);
    }
}
