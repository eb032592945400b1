package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The foundation's promise, end to end on real engines: export every image from an overlay2
 * daemon, import into a fresh vfs daemon, and find the same IDs and tags, runnable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageRoundTripIT {
    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", ImageFixtures::standard);
    @RegisterExtension
    static DockerdExtension target = DockerdExtension.empty("vfs");

    static Path dir;
    static Map<String, String> sourceImages;

    @BeforeAll
    static void exportDir() throws IOException {
        dir = Files.createTempDirectory("stowage-it-export").resolve("migrate");
        sourceImages = source.daemon().imageTable();
    }

    @AfterAll
    static void removeExport() {
        dev.stowage.testing.Shell.quietly("rm", "-rf", dir.getParent().toString());
    }

    @Test
    @Order(1)
    void exportStoresEveryLayerOnceUnderItsDigest() throws IOException {
        Run run = StowageProcess.run("storage", "export", "--host", source.daemon().host(), "--dir", dir.toString(),
                "--json");
        assertEquals(0, run.exitCode(), run::toString);

        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        Set<String> ids = new TreeSet<>(sourceImages.values());
        Set<String> exportedIds = new TreeSet<>();
        Set<String> uniqueBlobs = new HashSet<>();
        manifest.path("images").forEach(image -> {
            exportedIds.add(image.path("id").asText());
            uniqueBlobs.add(image.path("config").path("digest").asText());
            image.path("layers").forEach(layer -> uniqueBlobs.add(layer.path("digest").asText()));
        });
        assertEquals(ids, exportedIds, "every image, tagged or not, is in the manifest");
        assertTrue(sourceImages.keySet().stream().anyMatch(k -> k.startsWith("<none>@")), "the seed has an untagged image");

        Set<String> stored = new HashSet<>();
        try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
            blobs.forEach(blob -> stored.add("sha256:" + blob.getFileName()));
        }
        assertEquals(uniqueBlobs, stored, "the store holds exactly the unique blobs: shared layers once");
        assertTrue(uniqueBlobs.size() < countLayerRefs(manifest), "the seed shares layers, so dedup happened");

        for (String blob : stored) {
            Path file = dir.resolve("blobs/sha256").resolve(blob.substring(7));
            assertEquals(blob.substring(7), dev.stowage.testing.Digests.sha256(file), "blob content matches its name");
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("manifest.json"))));
        assertEquals("overlay2", manifest.path("source").path("storage_driver").asText());
        assertEquals(dev.stowage.model.Manifest.FORMAT_VERSION, manifest.path("format_version").asInt());

        JsonNode summary = run.summary();
        assertEquals(ids.size(), summary.path("images").asInt());
        assertEquals(ids.size(), summary.path("images_from_layer_store").asInt(), "a local daemon's layer store is read");
        assertEquals(0, summary.path("images_via_save").asInt(), run::toString);
        assertTrue(summary.path("dedup_saved_bytes").asLong() > 0);
        assertTrue(summary.path("unique_bytes").asLong() > ImageFixtures.BIG_LAYER_BYTES);
    }

    @Test
    @Order(2)
    void importIntoAnotherDriverRestoresIdsAndTagsAndImagesRun() {
        Run run = StowageProcess.run("storage", "import", "--host", target.daemon().host(), "--dir", dir.toString(),
                "--json");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(sourceImages, target.daemon().imageTable(), "same tags on the same IDs, untagged kept by ID");
        assertTrue(run.summary().path("verified").asBoolean());

        PrivateDaemon daemon = target.daemon();
        assertEquals("app", daemon.dockerOk("run", "--rm", "--network", "none", "stowage-test/app:1.0", "cat", "/marker"));
        assertEquals("worker", daemon.dockerOk("run", "--rm", "--network", "none", "stowage-test/worker:2"));
        assertEquals("/big: OK", daemon.dockerOk("run", "--rm", "--network", "none", ImageFixtures.BIG,
                "sha256sum", "-c", "/big.sha256"));
        assertEquals("vfs", daemon.dockerOk("info", "--format", "{{.Driver}}"));
    }

    @Test
    @Order(3)
    void secondImportLoadsNothingAndStillVerifies() {
        Run run = StowageProcess.run("storage", "import", "--host", target.daemon().host(), "--dir", dir.toString(),
                "--json");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(0, run.summary().path("images_loaded").asInt());
        assertEquals(sourceImages.values().stream().distinct().count(), run.summary().path("images_present").asInt());
        assertEquals(sourceImages, target.daemon().imageTable());
    }

    @Test
    @Order(4)
    void rerunExportWritesNothingThenPicksUpANewImage() {
        Run again = StowageProcess.run("storage", "export", "--host", source.daemon().host(), "--dir", dir.toString(),
                "--json");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(0, again.summary().path("blobs_written").asInt());
        assertEquals(0, again.summary().path("bytes_streamed").asLong(), "nothing is saved again");

        source.daemon().build("stowage-test/late:1", "FROM " + ImageFixtures.BASE + "\nRUN echo late > /marker\n");
        Run late = StowageProcess.run("storage", "export", "--host", source.daemon().host(), "--dir", dir.toString(),
                "--json");
        assertEquals(0, late.exitCode(), late::toString);
        List<JsonNode> exported = late.jsonLines().stream()
                .filter(n -> n.path("action").asText().equals("exported")).toList();
        assertEquals(1, exported.size(), late::toString);
        assertEquals("stowage-test/late:1", exported.get(0).path("label").asText());
        assertTrue(late.summary().path("bytes_streamed").asLong() < ImageFixtures.BIG_LAYER_BYTES,
                "only the new image was streamed");
    }

    @Test
    @Order(5)
    void viaSaveStoresTheSameBlobsAsTheLayerStoreRead() throws IOException {
        Path saved = dir.getParent().resolve("via-save");
        Run run = StowageProcess.run("storage", "export", "--images-only", "--via-save", "--host",
                source.daemon().host(), "--dir", saved.toString(), "--json");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(0, run.summary().path("images_from_layer_store").asInt(), run::toString);
        assertEquals(run.summary().path("images").asInt(), run.summary().path("images_via_save").asInt());
        // blobs are named by their verified SHA-256: equal names are equal bytes, so the tars rebuilt from
        // tar-split records are the engine's own save, layer for layer
        assertEquals(blobNames(dir), blobNames(saved));
        JsonNode fromStore = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile()).path("images");
        JsonNode fromSave = new ObjectMapper().readTree(saved.resolve("manifest.json").toFile()).path("images");
        assertEquals(fromStore, fromSave, "the same image records, sizes included");
    }

    private static Set<String> blobNames(Path migrationDir) throws IOException {
        try (Stream<Path> blobs = Files.list(migrationDir.resolve("blobs/sha256"))) {
            return blobs.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static int countLayerRefs(JsonNode manifest) {
        int count = 0;
        for (JsonNode image : manifest.path("images")) {
            count += image.path("layers").size() + 1;
        }
        return count;
    }
}
