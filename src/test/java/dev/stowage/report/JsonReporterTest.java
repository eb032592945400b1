package dev.stowage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReporterTest {
    private static final long SECOND = 1_000_000_000L;

    private final Capture out = new Capture();
    private long now = 42 * SECOND;
    private final JsonReporter reporter = new JsonReporter(out.stream, () -> now);

    @Test
    void stepIsAStatusLine() throws IOException {
        reporter.emit(new Event.Step("saving 3 images"));

        assertEquals(json("{\"message_type\":\"status\",\"event\":\"step\",\"message\":\"saving 3 images\"}"),
                single());
    }

    @Test
    void unitCarriesKeyLabelActionBytesAndItsFields() throws IOException {
        reporter.emit(new Event.UnitDone("export/image/sha256:" + "a".repeat(64), "app:1", "exported", 2048,
                Map.of("layers", 3, "new_blobs", 2)));

        JsonNode line = single();
        assertEquals("status", line.get("message_type").asText());
        assertEquals("unit", line.get("event").asText());
        assertEquals("export/image/sha256:" + "a".repeat(64), line.get("key").asText());
        assertEquals("app:1", line.get("label").asText());
        assertEquals("exported", line.get("action").asText());
        assertEquals(2048, line.get("bytes").asLong());
        assertEquals(3, line.get("layers").asInt());
        assertEquals(2, line.get("new_blobs").asInt());
    }

    @Test
    void noticeCarriesLevelMessageAndHintWhenThereIsOne() throws IOException {
        reporter.emit(Event.Notice.warning("blob damaged", "it will be saved again"));
        reporter.emit(Event.Notice.info("nothing to do"));

        List<JsonNode> lines = all();
        assertEquals(json("{\"message_type\":\"status\",\"event\":\"notice\",\"level\":\"warning\","
                + "\"message\":\"blob damaged\",\"hint\":\"it will be saved again\"}"), lines.get(0));
        assertFalse(lines.get(1).has("hint"));
        assertEquals("info", lines.get(1).get("level").asText());
    }

    @Test
    void progressCarriesBytesAndPercent() throws IOException {
        reporter.emit(progress(250, 1000));

        assertEquals(json("{\"message_type\":\"status\",\"event\":\"progress\",\"activity\":\"saving\","
                + "\"bytes_done\":250,\"total_bytes\":1000,\"percent_done\":25.0}"), single());
    }

    @Test
    void progressIsThrottledToOncePerSecondButTheFinalLineAlwaysGoesOut() throws IOException {
        for (int i = 0; i < 100; i++) {
            reporter.emit(progress(i, 1000));
            now += SECOND / 100 - 1;
        }
        now = 42 * SECOND + SECOND;
        reporter.emit(progress(500, 1000));
        reporter.emit(progress(1000, 1000));

        List<Long> done = new ArrayList<>();
        all().forEach(line -> done.add(line.get("bytes_done").asLong()));
        assertEquals(List.of(0L, 500L, 1000L), done);
    }

    @Test
    void summaryCarriesOperationAndFieldsInOrder() throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("images", 3);
        fields.put("unique_bytes", 5_000_000_000L);
        fields.put("directory", "/m");
        reporter.emit(new Event.Summary("export", fields, List.of("exported 3 images")));

        String line = out.text().trim();
        assertEquals("{\"message_type\":\"summary\",\"operation\":\"export\",\"images\":3,"
                + "\"unique_bytes\":5000000000,\"directory\":\"/m\"}", line);
    }

    @Test
    void errorCarriesMessageHintAndExitCode() throws IOException {
        reporter.error(new StowageException(ExitCode.DAEMON, "cannot reach the daemon", "start it"), null);

        assertEquals(json("{\"message_type\":\"error\",\"message\":\"cannot reach the daemon\",\"hint\":\"start it\","
                + "\"exit_code\":5,\"exit_reason\":\"daemon\"}"), single());
    }

    @Test
    void errorCarriesTheStacktraceOnlyWhenAsked() throws IOException {
        reporter.error(new StowageException(ExitCode.INTERNAL, "boom", null), "java.lang.Exception: boom\n\tat x");

        JsonNode line = single();
        assertEquals("java.lang.Exception: boom\n\tat x", line.get("stacktrace").asText());
        assertFalse(line.has("hint"));
    }

    @Test
    void exitReasonIsTheSameInEveryLocale() throws IOException {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            reporter.error(new StowageException(ExitCode.INTERNAL, "boom", null), null);
        } finally {
            Locale.setDefault(saved);
        }
        assertEquals("internal", single().get("exit_reason").asText());
    }

    @Test
    void everyEventIsOneObjectOnOneLine() throws IOException {
        reporter.emit(new Event.Step("a\nb"));
        reporter.emit(Event.Notice.warning("multi\nline", "hint\nhere"));
        reporter.emit(new Event.Summary("import", Map.of("n", 1), List.of("x", "y")));
        reporter.error(new StowageException(ExitCode.VERIFY, "bad", "fix"), "trace\nline");

        List<String> lines = out.lines();
        assertEquals(4, lines.size());
        for (String line : lines) {
            assertTrue(new ObjectMapper().readTree(line).isObject(), line);
        }
    }

    private static Event.Progress progress(long done, long total) {
        return new Event.Progress("saving", List.of(new Event.Bar("app:1", done, total)),
                new Event.Bar("all", done, total));
    }

    private JsonNode single() throws IOException {
        List<JsonNode> lines = all();
        assertEquals(1, lines.size(), out.text());
        return lines.get(0);
    }

    private List<JsonNode> all() throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.lines()) {
            nodes.add(new ObjectMapper().readTree(line));
        }
        return nodes;
    }

    private static JsonNode json(String text) throws IOException {
        return new ObjectMapper().readTree(text);
    }
}
