package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storage modify} in-process on a scratch host root, with the vfs driver (no mount needed):
 * exit codes, the dry run, the JSON summary and the refusals.
 */
class ModifyCommandTest {
    @TempDir
    Path dir;
    private Path root;
    private Path daemonJson;

    @BeforeEach
    void host() throws IOException {
        root = dir.resolve("root");
        daemonJson = root.resolve("etc/docker/daemon.json");
        Files.createDirectories(daemonJson.getParent());
        Files.writeString(daemonJson, "{\n  \"debug\": true,\n  \"storage-driver\": \"overlay2\"\n}\n");
    }

    @Test
    void aDryRunPrintsTheDiffAndChangesNothing() throws IOException {
        Run run = modify("--dry-run", "--driver", "vfs", "--data-root", dir.resolve("data").toString());

        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.contains("-  \"storage-driver\": \"overlay2\"\n+  \"storage-driver\": \"vfs\",\n"), run.out);
        assertTrue(run.out.contains("+  \"data-root\": \"" + dir.resolve("data") + "\"\n"), run.out);
        assertTrue(run.out.contains("dry run: nothing was changed"), run.out);
        assertEquals("{\n  \"debug\": true,\n  \"storage-driver\": \"overlay2\"\n}\n", Files.readString(daemonJson));
        assertEquals(1, files(daemonJson.getParent()).size(), "no backup either");
    }

    @Test
    void theJsonSummaryNamesTheFileTheBackupAndTheSettings() throws IOException {
        Run run = modify("--json", "--driver", "vfs", "--data-root", dir.resolve("data").toString());

        assertEquals(0, run.code, run.toString());
        JsonNode summary = run.last();
        assertEquals("summary", summary.path("message_type").asText());
        assertEquals("modify", summary.path("operation").asText());
        assertTrue(summary.path("changed").asBoolean());
        assertEquals("vfs", summary.path("after").path("driver").asText());
        assertEquals("overlay2", summary.path("before").path("driver").asText());
        JsonNode file = summary.path("files").get(0);
        assertEquals(daemonJson.toString(), file.path("path").asText());
        assertTrue(Files.exists(Path.of(file.path("backup").asText())), file.toString());
        assertTrue(summary.path("diff").asText().startsWith("--- " + daemonJson), summary.toString());
        assertTrue(findingChecks(summary).contains("data_root_fs"), summary.toString());
        assertTrue(Files.readString(daemonJson).contains("\"storage-driver\": \"vfs\""));

        Run again = modify("--json", "--driver", "vfs", "--data-root", dir.resolve("data").toString());
        assertEquals(0, again.code, again.toString());
        assertFalse(again.last().path("changed").asBoolean());
        assertEquals(0, again.last().path("files").size());
    }

    @Test
    void aRefusedChangeExitsThreeAndWritesNothing() throws IOException {
        Files.createDirectories(dir.resolve("busy"));
        Files.writeString(dir.resolve("busy/data.db"), "someone's data");

        Run run = modify("--json", "--driver", "vfs", "--data-root", dir.resolve("busy").toString());

        assertEquals(3, run.code, run.toString());
        assertTrue(run.last().path("message").asText().contains("not empty and not a Docker data-root"), run.out);
        assertEquals("precheck", run.last().path("exit_reason").asText());
        assertTrue(run.lines().stream().anyMatch(l -> l.path("message_type").asText().equals("summary")
                && l.path("blocked").asBoolean()), run.out);
        assertFalse(Files.readString(daemonJson).contains("busy"));
    }

    @Test
    void aDaemonJsonThatIsNotJsonIsRefusedWithItsLineAndColumn() throws IOException {
        Files.writeString(daemonJson, "{\n  \"debug\": true\n  \"storage-driver\": \"overlay2\"\n}\n");

        Run run = modify("--driver", "vfs");

        assertEquals(3, run.code, run.toString());
        assertTrue(run.err.contains(daemonJson + " is not valid JSON at line 3, column 3"), run.err);
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(2, modify().code);
        assertTrue(modify().err.contains("nothing to modify"));
        assertEquals(2, modify("--data-root", "relative/dir").code);
        assertEquals(2, modify("--storage-opt", "no-equals-sign").code);
        assertEquals(2, modify("--driver", "Overlay 2").code);
        assertEquals(2, modify("--driver", "vfs", "--write-to", "nowhere").code);
    }

    @Test
    void helpDocumentsTheOptionsButNotTheTestRoot() {
        Run run = run("storage", "modify", "--help");

        assertEquals(0, run.code);
        for (String option : List.of("--driver", "--data-root", "--storage-opt", "--clear-storage-opts", "--config-file",
                "--write-to", "Exit codes:")) {
            assertTrue(run.out.contains(option), option + " missing:\n" + run.out);
        }
        assertFalse(run.out.contains("--root"), run.out);
    }

    private Run modify(String... args) {
        List<String> all = new ArrayList<>(List.of("storage", "modify", "--root", root.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(new String[0]));
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> findingChecks(JsonNode summary) {
        List<String> checks = new ArrayList<>();
        summary.path("findings").forEach(f -> checks.add(f.path("check").asText()));
        return checks;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private record Run(int code, String out, String err) {
        List<JsonNode> lines() {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                try {
                    lines.add(new ObjectMapper().readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }
            return lines;
        }

        JsonNode last() {
            List<JsonNode> lines = lines();
            return lines.get(lines.size() - 1);
        }
    }
}
