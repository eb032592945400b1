package dev.stowage.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against tar-split records a dockerd 20.10 wrote, with the tar lengths its save produced (2048 and 2129920). */
class LayerDbTest {
    static final Digest BUSYBOX = Digest.parse("sha256:f3b7ec144c354ed99e40a9c71643ada390a62807f20e1b8401519c891bc12604");
    static final Digest MARKER = Digest.parse("sha256:d6d6a02055771009dfbdcc6dff02dda40af984c62ea03608a46e05dcda0bc08e");
    static final Digest MARKER_CHAIN =
            Digest.parse("sha256:84f0222f16d5898d812a09e63b51c70fdf2f9ee79e5ce561191ac962d078fb08");

    @Test
    void chainIdOfTheBottomLayerIsItsDiffIdAndAboveItHashesTheParentChain() {
        assertEquals(BUSYBOX, LayerDb.chainId(List.of(BUSYBOX)));
        assertEquals(MARKER_CHAIN, LayerDb.chainId(List.of(BUSYBOX, MARKER)));
    }

    @Test
    void tarSplitAddsUpToTheLengthOfTheSavedLayerTar() throws IOException {
        assertEquals(2048, length("tar-split-marker.json.gz"));
        assertEquals(2_129_920, length("tar-split-busybox.json.gz"));
    }

    @Test
    void tarSizeFindsTheRecordUnderTheDataRootByChainId(@TempDir Path root) throws IOException {
        Path layer = Files.createDirectories(root.resolve("image/overlay2/layerdb/sha256").resolve(MARKER_CHAIN.hex()));
        try (InputStream in = resource("tar-split-marker.json.gz")) {
            Files.copy(in, layer.resolve("tar-split.json.gz"));
        }
        assertEquals(2048, LayerDb.tarSize(root, "overlay2", List.of(BUSYBOX, MARKER)).orElseThrow());
        assertTrue(LayerDb.tarSize(root, "overlay2", List.of(BUSYBOX)).isEmpty(), "no record: no answer");
        assertTrue(LayerDb.tarSize(root, "vfs", List.of(BUSYBOX, MARKER)).isEmpty());
    }

    @Test
    void base64LengthIsTheDecodedLength() {
        assertEquals(0, LayerDb.base64Length(""));
        assertEquals(1, LayerDb.base64Length("QQ=="));
        assertEquals(2, LayerDb.base64Length("QUI="));
        assertEquals(3, LayerDb.base64Length("QUJD"));
    }

    private static long length(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(resource(name))) {
            return LayerDb.tarSplitLength(in);
        }
    }

    private static InputStream resource(String name) {
        return LayerDbTest.class.getResourceAsStream(name);
    }
}
