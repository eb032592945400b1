package dev.stowage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRecordTest {
    private static final Digest CONFIG = Digest.parse("a".repeat(64));
    private static final Digest OTHER = Digest.parse("b".repeat(64));

    @Test
    void rejectsAnIdThatIsNotTheConfigDigest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageRecord(CONFIG, List.of(), List.of(), null, new BlobRef(OTHER, 10), List.of()));
        assertEquals("image " + CONFIG + " has config " + OTHER, e.getMessage());
    }

    @Test
    void treatsMissingListsAsEmpty() {
        ImageRecord image = new ImageRecord(CONFIG, null, null, null, new BlobRef(CONFIG, 10), null);
        assertEquals(List.of(), image.repoTags());
        assertEquals(List.of(), image.repoDigests());
        assertEquals(List.of(), image.layers());
    }

    @Test
    void labelIsTheFirstTagElseTheShortId() {
        assertEquals("app:1", new ImageRecord(CONFIG, List.of("app:1", "app:2"), null, null,
                new BlobRef(CONFIG, 1), null).label());
        assertEquals("aaaaaaaaaaaa", new ImageRecord(CONFIG, null, null, null, new BlobRef(CONFIG, 1), null).label());
    }

    @Test
    void layerBytesSumsTheLayers() {
        ImageRecord image = new ImageRecord(CONFIG, null, null, null, new BlobRef(CONFIG, 1),
                List.of(new BlobRef(OTHER, 5_000_000_000L), new BlobRef(OTHER, 7)));
        assertEquals(5_000_000_007L, image.layerBytes());
    }
}
