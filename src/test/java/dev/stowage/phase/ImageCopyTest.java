package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.archive.BlobStore;
import dev.stowage.archive.TransferListener;
import dev.stowage.model.BlobRef;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import dev.stowage.testing.RecordingReporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading images from a daemon's layer store laid out as dockerd 20.10 lays it out, with a real
 * tar-split record (one layer holding the file {@code marker} = "app\n", diff-id below).
 */
class ImageCopyTest {
    static final Digest MARKER = Digest.parse("sha256:d6d6a02055771009dfbdcc6dff02dda40af984c62ea03608a46e05dcda0bc08e");
    static final byte[] CONFIG = "{\"rootfs\":{\"type\":\"layers\"}}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path work;
    Path dataRoot;
    BlobStore blobs;
    Digest imageId;
    final RecordingReporter reporter = new RecordingReporter();
    final List<String> done = new ArrayList<>();
    final TransferListener listener = new TransferListener() {
        @Override
        public void blobDone(BlobRef blob, boolean stored) {
            done.add(blob.digest().shortHex() + (stored ? " stored" : " reused"));
        }
    };

    @BeforeEach
    void layOut() throws Exception {
        dataRoot = work.resolve("docker");
        Path layer = Files.createDirectories(dataRoot.resolve("image/overlay2/layerdb/sha256").resolve(MARKER.hex()));
        try (InputStream in = getClass().getResourceAsStream("/dev/stowage/docker/tar-split-marker.json.gz")) {
            Files.copy(in, layer.resolve("tar-split.json.gz"));
        }
        Files.writeString(layer.resolve("cache-id"), "c0ffee");
        Files.writeString(Files.createDirectories(dataRoot.resolve("overlay2/c0ffee/diff")).resolve("marker"), "app\n");
        imageId = Digest.of(MessageDigest.getInstance("SHA-256").digest(CONFIG));
        Path configs = Files.createDirectories(dataRoot.resolve("image/overlay2/imagedb/content/sha256"));
        Files.write(configs.resolve(imageId.hex()), CONFIG);
        blobs = BlobStore.open(work.resolve("migrate"));
    }

    @Test
    void storesTheLayerAndTheConfigUnderTheirDigests() throws IOException {
        List<ImageInfo> left = copier().copy(List.of(image()), Set.of(), listener);
        assertEquals(List.of(), left);
        assertEquals(2048, blobs.size(MARKER));
        blobs.verify(MARKER, 2048);
        blobs.verify(imageId, CONFIG.length);
        assertEquals(List.of(MARKER.shortHex() + " stored", imageId.shortHex() + " stored"), done);
    }

    @Test
    void aStoredLayerIsNotReadAgainButStillReported() throws IOException {
        copier().copy(List.of(image()), Set.of(), TransferListener.NONE);
        deleteRecursively(dataRoot.resolve("overlay2"));
        List<ImageInfo> left = copier().copy(List.of(image()), Set.of(MARKER, imageId), listener);
        assertEquals(List.of(), left);
        assertEquals(List.of(MARKER.shortHex() + " reused", imageId.shortHex() + " reused"), done);
    }

    @Test
    void aLayerThatHashesDifferentlyLeavesTheImageToSaveAndStoresNothing() throws IOException {
        Files.writeString(dataRoot.resolve("overlay2/c0ffee/diff/marker"), "APP\n");
        List<ImageInfo> left = copier().copy(List.of(image()), Set.of(), listener);
        assertEquals(List.of(image()), left);
        assertFalse(blobs.contains(MARKER));
        assertTrue(notices().get(0).contains("does not match"), notices().toString());
        assertTrue(notices().get(0).contains("goes through docker save"), notices().toString());
    }

    @Test
    void aLayerWithoutItsCacheIdLeavesTheImageToSave() throws IOException {
        Files.delete(dataRoot.resolve("image/overlay2/layerdb/sha256").resolve(MARKER.hex()).resolve("cache-id"));
        assertEquals(List.of(image()), copier().copy(List.of(image()), Set.of(), listener));
        assertTrue(notices().get(0).contains("no tar-split record or directory"), notices().toString());
    }

    @Test
    void aRemoteDaemonOrAnotherLayoutIsNotReadAtAll() {
        DaemonFacts facts = facts("overlay2");
        assertTrue(ImageCopy.of(blobs, facts, false, reporter).isEmpty(), "tcp:// daemon: its files are elsewhere");
        assertTrue(ImageCopy.of(blobs, facts("zfs"), true, reporter).isEmpty(), "no layerdb for that driver here");
        assertTrue(ImageCopy.of(blobs, facts, true, reporter).isPresent());
    }

    private ImageCopy copier() {
        return ImageCopy.of(blobs, facts("overlay2"), true, reporter).orElseThrow();
    }

    private DaemonFacts facts(String driver) {
        return new DaemonFacts("20.10.24", "1.41", "1.12", driver, dataRoot.toString(), "host", "Debian", "x86_64");
    }

    private ImageInfo image() {
        return new ImageInfo(imageId, List.of("test/marker:1"), List.of(), "2026-12-01T00:00:00Z", List.of(MARKER), 4);
    }

    private List<String> notices() {
        return reporter.notices();
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
