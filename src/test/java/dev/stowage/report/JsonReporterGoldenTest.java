package dev.stowage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON lines {@link JsonReporter} prints for one of every kind of event, against a golden file
 * and against the contract in docs/json-output.md. A change to the output shows up here as a diff;
 * a deliberate one updates the golden file and the document together.
 */
class JsonReporterGoldenTest {
    private static final String GOLDEN = "json-reporter.golden.jsonl";
    private static final String ID_A = "sha256:" + "a".repeat(64);
    private static final String ID_B = "sha256:" + "b".repeat(64);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void rendersEveryKindOfEventAsTheGoldenFileSays() throws IOException {
        List<String> actual = render();
        List<String> golden = golden();
        assertEquals(golden.size(), actual.size(), () -> "line count differs; rendered:\n" + String.join("\n", actual));
        for (int i = 0; i < golden.size(); i++) {
            // Objects compare by content: the order of fields is not part of the contract.
            assertEquals(MAPPER.readTree(golden.get(i)), MAPPER.readTree(actual.get(i)),
                    "line " + (i + 1) + " differs:\n golden:   " + golden.get(i) + "\n rendered: " + actual.get(i));
        }
    }

    @Test
    void everyRenderedLineMatchesTheDocumentedContract() throws IOException {
        JsonContract contract = JsonContract.load();
        List<String> problems = new ArrayList<>();
        for (JsonNode line : parse(render())) {
            problems.addAll(contract.problems(line));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyDocumentedFieldAppearsInTheGoldenOutput() throws IOException {
        JsonContract contract = JsonContract.load();
        List<JsonNode> lines = parse(render());
        Map<String, Object> unseen = new LinkedHashMap<>();
        for (String table : contract.tables().keySet()) {
            if (!contract.unseen(table, lines).isEmpty()) {
                unseen.put(table, contract.unseen(table, lines));
            }
        }
        assertEquals(Map.of(), unseen, "documented but never rendered (add such an event to render())");
        assertTrue(contract.tables().size() >= 16, "the contract tables were not found: " + contract.tables().keySet());
    }

    @Test
    void exitCodeTableMatchesTheExitCodes() {
        Map<Integer, String> documented = JsonContract.load().exitCodes();
        Map<Integer, String> actual = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            actual.put(code.code(), code.name().toLowerCase());
        }
        assertEquals(actual, documented);
    }

    @Test
    void progressIsThrottledToOneLineASecondButTheFinalOneAlwaysShows() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonReporter reporter = new JsonReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (int i = 1; i <= 50; i++) {
            reporter.emit(new Event.Progress("loading images", List.of(), new Event.Bar("all", i * 10L, 500)));
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        // The first and the complete one; a machine slow enough to take a second here may add one more.
        assertTrue(lines.length >= 2 && lines.length <= 3, String.join("\n", lines));
        assertTrue(lines[lines.length - 1].contains("\"percent_done\":100.0"), lines[lines.length - 1]);
    }

    /** One event of every kind, with every optional field once, in the order a run would emit them. */
    private static List<String> render() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonReporter reporter = new JsonReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        reporter.emit(new Event.Step("exporting images from unix:///run/docker.sock (Docker 20.10.24, API 1.41,"
                + " overlay2 on /var/lib/docker)"));
        reporter.emit(new Event.UnitDone("export/image/" + ID_B, "app:2", "reused", 1024,
                Map.of("id", ID_B, "layers", 2)));
        reporter.emit(new Event.UnitDone("export/image/" + ID_A, "app:1", "would-save", 4096,
                Map.of("id", ID_A, "layers", 2)));
        reporter.emit(new Event.Progress("saving images",
                List.of(new Event.Bar("app:1", 1000, 4096)), new Event.Bar("all", 1000, 4096)));
        reporter.emit(new Event.Progress("saving images", List.of(), new Event.Bar("all", 4096, 4096)));
        reporter.emit(new Event.UnitDone("export/image/" + ID_A, "app:1", "exported", 4096,
                Map.of("id", ID_A, "tags", 1, "layers", 2, "new_layers", 1)));
        reporter.emit(Event.Notice.warning("blob sha256:cc is corrupt; it will be saved again", "check the disk"));
        reporter.emit(Event.Notice.info("2 repo digests recorded"));
        reporter.emit(new Event.Summary("export", exportFields(), List.of("exported 2 images")));
        reporter.emit(new Event.Summary("export", exportDryRunFields(), List.of("dry run")));
        reporter.emit(new Event.UnitDone("import/image/" + ID_A, "app:1", "would-load", 4096,
                Map.of("id", ID_A, "tags", 1)));
        reporter.emit(new Event.UnitDone("import/image/" + ID_A, "app:1", "loaded", 4096,
                Map.of("id", ID_A, "tags", 1, "layers", 2)));
        reporter.emit(new Event.UnitDone("import/image/" + ID_B, "app:2", "present", 0,
                Map.of("id", ID_B, "tags_added", 1)));
        reporter.emit(new Event.Summary("import", importFields(), List.of("imported 2 images")));
        reporter.emit(new Event.Summary("import", importDryRunFields(), List.of("dry run")));
        reporter.error(new StowageException(ExitCode.VERIFY, "import verification failed: tag app:2 is missing",
                "run import again"), "dev.stowage.model.StowageException: import verification failed\n\tat Main");
        reporter.error(new StowageException(ExitCode.DAEMON, "cannot reach the Docker daemon", null), null);
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static Map<String, Object> exportFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("images", 2);
        fields.put("tags", 2);
        fields.put("untagged_images", 0L);
        fields.put("blobs", 5);
        fields.put("blobs_written", 3);
        fields.put("bytes_written", 4096L);
        fields.put("bytes_streamed", 6144L);
        fields.put("unique_bytes", 5120L);
        fields.put("logical_bytes", 8192L);
        fields.put("dedup_saved_bytes", 3072L);
        fields.put("repo_digests_recorded", 2L);
        fields.put("seconds", 1.42);
        fields.put("directory", "/var/lib/stowage/migrate");
        return fields;
    }

    private static Map<String, Object> exportDryRunFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dry_run", true);
        fields.put("images", 2);
        fields.put("images_to_save", 1);
        fields.put("tags", 2L);
        fields.put("untagged_images", 0L);
        fields.put("estimated_bytes", 4096L);
        fields.put("free_bytes", 1_000_000_000L);
        fields.put("fits", true);
        return fields;
    }

    private static Map<String, Object> importFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("images", 2);
        fields.put("images_loaded", 1);
        fields.put("images_present", 1);
        fields.put("tags", 2L);
        fields.put("tags_added", 1);
        fields.put("tag_conflicts", 0);
        fields.put("bytes_streamed", 4608L);
        fields.put("repo_digests_not_restored", 2L);
        fields.put("verified", true);
        fields.put("seconds", 0.87);
        return fields;
    }

    private static Map<String, Object> importDryRunFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dry_run", true);
        fields.put("images_to_load", 1);
        fields.put("images_present", 1);
        fields.put("tags_to_add", 1);
        fields.put("tag_conflicts", 0);
        fields.put("bytes_to_load", 4096L);
        return fields;
    }

    private static List<String> golden() throws IOException {
        try (InputStream in = JsonReporterGoldenTest.class.getResourceAsStream(GOLDEN)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + GOLDEN + "; rendered:\n" + String.join("\n", render()));
            }
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    private static List<JsonNode> parse(List<String> lines) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            nodes.add(MAPPER.readTree(line));
        }
        return nodes;
    }
}
