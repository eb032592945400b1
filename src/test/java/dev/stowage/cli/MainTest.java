package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.model.ExitCode;
import dev.stowage.model.ToolVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line in-process, as {@code stowage} runs it, minus the JVM exit. */
class MainTest {
    private static final String NO_SOCKET = "unix:///nonexistent/stowage-test.sock";

    @TempDir
    Path dir;

    @Test
    void helpListsEveryExitCode() {
        Run run = run("--help");

        assertEquals(0, run.code);
        assertTrue(run.out.contains("Exit codes:"), run.out);
        for (ExitCode code : ExitCode.values()) {
            String firstWords = code.meaning().split(" ")[0];
            assertTrue(Pattern.compile("(?m)^\\s+" + code.code() + "\\s+" + Pattern.quote(firstWords)).matcher(run.out).find(),
                    "exit code " + code.code() + " missing from --help:\n" + run.out);
        }
    }

    @Test
    void subcommandHelpListsTheExitCodesToo() {
        Run run = run("storage", "export", "--help");

        assertEquals(0, run.code);
        assertTrue(run.out.contains("Exit codes:"), run.out);
        assertTrue(Pattern.compile("(?m)^\\s+130\\s+interrupted").matcher(run.out).find(), run.out);
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Run run = run("--version");

        assertEquals(0, run.code);
        assertFalse(ToolVersion.get().contains("${"), "version.properties was not filtered");
        assertFalse(ToolVersion.get().equals("unknown"));
        assertTrue(run.out.startsWith("stowage " + ToolVersion.get() + "\n"), run.out);
    }

    @Test
    void noCommandIsAUsageError() {
        Run run = run();

        assertEquals(2, run.code);
        assertTrue(run.err.contains("a command is required"), run.err);
    }

    @Test
    void storageWithoutSubcommandIsAUsageError() {
        Run run = run("storage");

        assertEquals(2, run.code);
        assertTrue(run.err.contains("export or import"), run.err);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run run = run("storage", "export", "--no-such-option");

        assertEquals(2, run.code);
        assertTrue(run.err.contains("--no-such-option"), run.err);
    }

    @Test
    void unsupportedHostSchemeIsAUsageErrorWithAClearMessage() {
        Run run = run("--host", "ftp://x", "storage", "export", "--dir", dir.toString());

        assertEquals(2, run.code);
        assertTrue(run.err.contains("stowage: error: invalid Docker host 'ftp://x': only unix:// and tcp:// are supported"),
                run.err);
        assertTrue(run.err.contains("hint: "), run.err);
    }

    @Test
    void unreachableDaemonExitsFiveWithAJsonErrorLine() throws IOException {
        Run run = run("storage", "export", "--host", NO_SOCKET, "--json", "--dir", dir.toString());

        assertEquals(5, run.code);
        JsonNode error = run.singleJsonLine();
        assertEquals("error", error.get("message_type").asText());
        assertTrue(error.get("message").asText().contains("/nonexistent/stowage-test.sock"), error.toString());
        assertFalse(error.get("hint").asText().isBlank());
        assertEquals(5, error.get("exit_code").asInt());
        assertEquals("", run.err, "with --json, errors go to stdout as JSON only");
    }

    /** Global options work wherever the operator puts them: before or after the subcommand names. */
    @ParameterizedTest
    @ValueSource(strings = {
        "--json --host HOST --dir DIR storage export",
        "storage --json --host HOST --dir DIR export",
        "storage export --json --host HOST --dir DIR",
        "--json storage export --host HOST --dir DIR",
        "--host HOST storage export --json --dir DIR"})
    void globalOptionsApplyBeforeOrAfterTheSubcommand(String line) throws IOException {
        Run run = run(line.replace("HOST", NO_SOCKET).replace("DIR", dir.toString()).split(" "));

        assertEquals(5, run.code, run.out + run.err);
        JsonNode error = run.singleJsonLine();
        assertTrue(error.get("message").asText().contains(NO_SOCKET), "--host was not applied: " + error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--dir DIR storage import", "storage import --dir DIR", "storage --dir DIR import"})
    void dirOptionAppliesBeforeOrAfterTheSubcommand(String line) throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));

        Run run = run(line.replace("DIR", empty.toString()).split(" "));

        assertEquals(3, run.code, run.err);
        assertTrue(run.err.contains("no finished export in " + empty), run.err);
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

    private record Run(int code, String out, String err) {
        JsonNode singleJsonLine() throws IOException {
            String[] lines = out.strip().split("\n");
            assertEquals(1, lines.length, out);
            return new ObjectMapper().readTree(lines[0]);
        }
    }
}
