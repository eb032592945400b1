package dev.stowage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.model.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JSON lines {@link JsonReporter} prints for one of every kind of event, against a golden file
 * and against the contract in docs/json-output.md. A change to the output shows up here as a diff;
 * a deliberate one updates the golden file and the document together.
 */
class JsonReporterGoldenTest {
    private static final String GOLDEN = "json-reporter.golden.jsonl";
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
        assertTrue(contract.tables().size() >= 50, "the contract tables were not found: " + contract.tables().keySet());
    }

    @Test
    void everyJsonExampleInTheDocumentFollowsTheContract() throws IOException {
        JsonContract contract = JsonContract.load();
        String markdown = Files.readString(Path.of("docs", "json-output.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        List<String> problems = new ArrayList<>();
        int lines = 0;
        while (block.find()) {
            for (JsonNode line : parse(List.of(block.group(1).split("\n")))) {
                problems.addAll(contract.problems(line));
                lines++;
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(lines >= 10, "the examples were not found: " + lines + " lines");
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

    /** One event of every kind, with every optional field once (see {@link GoldenEvents}). */
    private static List<String> render() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GoldenEvents.emit(new JsonReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
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
