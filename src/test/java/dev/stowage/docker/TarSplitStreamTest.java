package dev.stowage.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebuilding layer tars from tar-split records, against a record dockerd 20.10 wrote. */
class TarSplitStreamTest {
    @Test
    void aRealRecordAndTheLayerFilesRebuildTheTarThatHashesToTheDiffId(@TempDir Path root) throws Exception {
        try (InputStream tar = markerTar(root, "overlay2", "overlay2/abc123/diff", "app\n")) {
            byte[] bytes = tar.readAllBytes();
            assertEquals(2048, bytes.length);
            assertEquals(LayerDbTest.MARKER, Digest.of(sha256(bytes)));
        }
    }

    @Test
    void otherContentOfTheSameLengthGivesAnotherDigest(@TempDir Path root) throws Exception {
        try (InputStream tar = markerTar(root, "vfs", "vfs/dir/abc123", "APP\n")) {
            assertTrue(!LayerDbTest.MARKER.equals(Digest.of(sha256(tar.readAllBytes()))));
        }
    }

    @Test
    void aFileOfAnotherLengthThanTheRecordIsNamed(@TempDir Path root) throws Exception {
        try (InputStream tar = markerTar(root, "overlay2", "overlay2/abc123/diff", "app\nmore")) {
            IOException e = assertThrows(IOException.class, tar::readAllBytes);
            assertTrue(e.getMessage().contains("marker is 8 bytes, its tar-split record says 4"), e.getMessage());
        }
    }

    @Test
    void noRecordUnknownDriverOrMissingDirectoryGiveNoTar(@TempDir Path root) throws Exception {
        List<Digest> chain = List.of(LayerDbTest.BUSYBOX, LayerDbTest.MARKER);
        assertTrue(LayerDb.openTar(root, "overlay2", chain).isEmpty(), "no record");
        layout(root, "devicemapper", "abc123", "devicemapper/mnt/abc123");
        assertTrue(LayerDb.openTar(root, "devicemapper", chain).isEmpty(), "no plain layer directory");
        Path vfs = layout(root, "vfs", "gone", "vfs/dir/gone");
        Files.delete(vfs);
        assertTrue(LayerDb.openTar(root, "vfs", chain).isEmpty(), "layer directory missing");
    }

    @Test
    void segmentsAndFilesComeOutInRecordOrderAndRawNamesAreUsed(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("dir"));
        Files.writeString(root.resolve("dir/a"), "hello");
        Files.writeString(root.resolve("é"), "xyz");
        String record = segment("HEAD1") + file("dir/a", 5) + segment("PAD") + file("empty-dir/", 0)
                + "{\"type\":1,\"name_raw\":\"" + b64("é") + "\",\"size\":3,\"payload\":null,\"position\":4}\n"
                + segment("END");
        assertArrayEquals("HEAD1helloPADxyzEND".getBytes(StandardCharsets.UTF_8), rebuild(record, root));
    }

    @Test
    void aNameOutsideTheLayerIsRefused(@TempDir Path root) throws IOException {
        Path layer = Files.createDirectories(root.resolve("layer"));
        Files.writeString(root.resolve("secret"), "s");
        IOException e = assertThrows(IOException.class, () -> rebuild(file("../secret", 1), layer));
        assertTrue(e.getMessage().contains("outside the layer"), e.getMessage());
    }

    @Test
    void aSymlinkInPlaceOfAFileIsNotFollowed(@TempDir Path root) throws IOException {
        Path layer = Files.createDirectories(root.resolve("layer"));
        Files.writeString(root.resolve("target"), "abc");
        Files.createSymbolicLink(layer.resolve("link"), root.resolve("target"));
        assertThrows(IOException.class, () -> rebuild(file("link", 3), layer));
    }

    @Test
    void anUnknownEntryTypeIsAnError(@TempDir Path root) {
        assertThrows(IOException.class, () -> rebuild("{\"type\":7,\"position\":0}\n", root));
    }

    /** The marker layer's tar from a data-root where its file {@code marker} holds {@code content}. */
    private static InputStream markerTar(Path root, String driver, String files, String content) throws IOException {
        Files.writeString(layout(root, driver, "abc123", files).resolve("marker"), content);
        return LayerDb.openTar(root, driver, List.of(LayerDbTest.BUSYBOX, LayerDbTest.MARKER)).orElseThrow();
    }

    /** Lays out a data-root with the marker layer's record; returns the layer's file directory. */
    private static Path layout(Path root, String driver, String cacheId, String files) throws IOException {
        Path layer = Files.createDirectories(root.resolve("image").resolve(driver).resolve("layerdb/sha256")
                .resolve(LayerDbTest.MARKER_CHAIN.hex()));
        try (InputStream in = TarSplitStreamTest.class.getResourceAsStream("tar-split-marker.json.gz")) {
            Files.copy(in, layer.resolve("tar-split.json.gz"));
        }
        Files.writeString(layer.resolve("cache-id"), cacheId);
        return Files.createDirectories(root.resolve(files));
    }

    private static byte[] rebuild(String record, Path root) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new TarSplitStream(new ByteArrayInputStream(record.getBytes(StandardCharsets.UTF_8)),
                root)) {
            byte[] small = new byte[2];
            for (int n; (n = in.read(small, 0, small.length)) > 0; ) {
                out.write(small, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static String segment(String bytes) {
        return "{\"type\":2,\"payload\":\"" + b64(bytes) + "\",\"position\":0}\n";
    }

    private static String file(String name, long size) {
        return "{\"type\":1,\"name\":\"" + name + "\",\"size\":" + size + ",\"payload\":\"AAAAAAAAAAA=\",\"position\":1}\n";
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
