package dev.stowage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The manifest's JSON is a file format: these names are what older and newer stowage versions read. */
class ManifestJsonTest {
    private static final Digest CONFIG = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest BASE = Digest.parse("sha256:" + "b".repeat(64));
    private static final Digest APP = Digest.parse("c".repeat(64));

    private static final Manifest MANIFEST = Manifest.ofImages("0.1.0",
            Instant.parse("2024-05-01T12:30:00.123Z"),
            new DaemonFacts("20.10.24", "1.41", "1.12", "overlay2", "/var/lib/docker", "host1", "Debian 12", "x86_64"),
            List.of(new ImageRecord(CONFIG, List.of("app:1", "app:latest"), List.of("app@sha256:" + "d".repeat(64)),
                    "2024-04-30T10:00:00Z", new BlobRef(CONFIG, 1234),
                    List.of(new BlobRef(BASE, 5_000_000_000L), new BlobRef(APP, 2048)))));

    @Test
    void roundTripsThroughTheMapper() throws IOException {
        String json = Json.mapper().writeValueAsString(MANIFEST);

        assertEquals(MANIFEST, Json.mapper().readValue(json, Manifest.class));
    }

    @Test
    void writesSnakeCaseFieldNames() throws IOException {
        JsonNode tree = Json.mapper().valueToTree(MANIFEST);

        assertEquals(Set.of("format_version", "tool_version", "created_at", "source", "images", "networks", "volumes",
                "containers"), names(tree));
        assertEquals(Set.of("engine_version", "api_version", "min_api_version", "storage_driver", "data_root",
                "hostname", "operating_system", "architecture"), names(tree.get("source")));
        JsonNode image = tree.get("images").get(0);
        assertEquals(Set.of("id", "repo_tags", "repo_digests", "created", "config", "layers"), names(image));
        assertEquals(Set.of("digest", "size"), names(image.get("config")));
        assertEquals(Set.of("digest", "size"), names(image.get("layers").get(0)));
    }

    @Test
    void writesValuesInTheirDocumentedForm() {
        JsonNode tree = Json.mapper().valueToTree(MANIFEST);
        JsonNode image = tree.get("images").get(0);

        assertEquals(2, tree.get("format_version").asInt());
        assertEquals("2024-05-01T12:30:00.123Z", tree.get("created_at").asText());
        assertEquals("overlay2", tree.get("source").get("storage_driver").asText());
        assertEquals(CONFIG.toString(), image.get("id").asText());
        assertEquals("sha256:" + "a".repeat(64), image.get("config").get("digest").asText());
        assertEquals(1234, image.get("config").get("size").asLong());
        assertEquals(5_000_000_000L, image.get("layers").get(0).get("size").asLong());
        assertEquals("sha256:" + "c".repeat(64), image.get("layers").get(1).get("digest").asText());
        assertEquals("[\"app:1\",\"app:latest\"]", image.get("repo_tags").toString());
    }

    @Test
    void ignoresUnknownFields() throws IOException {
        String json = "{\"format_version\":1,\"tool_version\":\"9.9\",\"created_at\":\"2024-05-01T12:30:00Z\","
                + "\"added_later\":{\"x\":1},"
                + "\"source\":{\"storage_driver\":\"overlay2\",\"new_fact\":true},"
                + "\"images\":[{\"id\":\"" + CONFIG + "\",\"repo_tags\":[],\"config\":{\"digest\":\"" + CONFIG
                + "\",\"size\":3,\"media_type\":\"x\"},\"layers\":[],\"annotations\":{}}]}";

        Manifest read = Json.mapper().readValue(json, Manifest.class);

        assertEquals("overlay2", read.source().storageDriver());
        assertEquals(new BlobRef(CONFIG, 3), read.images().get(0).config());
        assertEquals(List.of(), read.images().get(0).repoDigests());
    }

    @Test
    void blobsListsEachBlobOnceInFirstUseOrder() {
        ImageRecord second = new ImageRecord(APP, List.of(), List.of(), null, new BlobRef(APP, 2048),
                List.of(new BlobRef(BASE, 5_000_000_000L)));
        Manifest manifest = Manifest.ofImages("0.1.0", Instant.EPOCH, MANIFEST.source(),
                List.of(MANIFEST.images().get(0), second));

        assertEquals(List.of(BASE, APP, CONFIG), new ArrayList<>(manifest.blobs().keySet()));
        assertEquals(5_000_000_000L + 2048 + 1234, manifest.uniqueBytes());
        assertEquals(5_000_000_000L + 2048 + 1234 + 5_000_000_000L + 2048, manifest.logicalBytes());
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
