package dev.stowage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleReporterTest {
    private static final String CLEAR = "\r\033[2K";
    private static final String UP = "\033[1A";
    private static final String UNIT_LINE = "exported  app:1  1.0 KiB";

    private final Capture out = new Capture();
    private final Capture err = new Capture();
    private final ConsoleReporter reporter = new ConsoleReporter(out.stream, err.stream, 100);

    @Test
    void progressDrawsOneBarPerUnitAndOneForTheRun() {
        reporter.emit(progress(List.of(new Event.Bar("app:1", 50, 100)), 50, 200));

        String drawn = out.text();
        assertTrue(drawn.startsWith(CLEAR), "a bar is drawn over a cleared line");
        String[] lines = drawn.substring(CLEAR.length()).split("\n");
        assertEquals(2, lines.length, drawn);
        assertTrue(lines[0].startsWith("  app:1"), lines[0]);
        assertTrue(lines[0].contains(" 50%"), lines[0]);
        assertTrue(lines[1].startsWith("saving"), lines[1]);
        assertTrue(lines[1].contains(" 25%"), lines[1]);
        assertTrue(lines[1].contains("50 B/200 B"), lines[1]);
        assertTrue(lines[1].contains("ETA"), lines[1]);
        assertFalse(drawn.endsWith("\n"), "the cursor stays on the last bar, so it can be redrawn in place");
    }

    @Test
    void barIsFilledInProportion() {
        reporter.emit(progress(List.of(), 100, 100));

        String text = out.text();
        String bar = text.substring(text.indexOf(" [") + 2, text.indexOf("] "));
        assertFalse(bar.isEmpty());
        assertEquals("=".repeat(bar.length()), bar);
        assertTrue(out.text().contains("100%"), out.text());
    }

    @Test
    void manyUnitsAreSummarizedAfterFourBars() {
        List<Event.Bar> units = List.of(bar("a"), bar("b"), bar("c"), bar("d"), bar("e"), bar("f"));

        reporter.emit(progress(units, 0, 600));

        String[] lines = out.text().substring(CLEAR.length()).split("\n");
        assertEquals(6, lines.length);
        assertEquals("  … and 2 more", lines[4]);
    }

    @Test
    void unitLineClearsTheBarsFirstAndRedrawsThemBelow() {
        reporter.emit(progress(List.of(new Event.Bar("app:1", 50, 100)), 50, 200));
        String bars = out.text();
        out.reset();

        reporter.emit(new Event.UnitDone("k", "app:1", "exported", 1024, Map.of()));

        String text = out.text();
        assertTrue(text.startsWith(CLEAR + UP + CLEAR + CLEAR + UNIT_LINE + "\n"),
                "both bar lines are erased before the unit line: " + printable(text));
        assertEquals(bars, text.substring((CLEAR + UP + CLEAR + CLEAR + UNIT_LINE + "\n").length()),
                "the same bars come back under the unit line");
    }

    @Test
    void summaryClearsTheBarsForGood() {
        reporter.emit(progress(List.of(), 50, 200));
        out.reset();

        reporter.emit(new Event.Summary("export", Map.of(), List.of("exported 3 images")));

        assertEquals(CLEAR + CLEAR + "exported 3 images\n", out.text());
    }

    @Test
    void errorClearsTheBarsBeforeItIsPrinted() {
        reporter.emit(progress(List.of(new Event.Bar("app:1", 50, 100)), 50, 200));
        out.reset();

        reporter.error(new StowageException(ExitCode.DAEMON, "daemon went away", "start it"), null);

        assertEquals(CLEAR + UP + CLEAR + CLEAR, out.text(), "the error must not be printed onto a bar line");
        assertEquals(List.of("stowage: error: daemon went away", "  hint: start it"), err.lines());
    }

    @Test
    void closeLeavesTheLastBarsOnScreenAndEndsTheLine() {
        reporter.emit(progress(List.of(), 200, 200));
        out.reset();

        reporter.close();

        assertEquals("\n", out.text());
    }

    @Test
    void isInteractive() {
        assertTrue(reporter.interactive());
    }

    private static Event.Bar bar(String label) {
        return new Event.Bar(label, 0, 100);
    }

    private static Event.Progress progress(List<Event.Bar> units, long done, long total) {
        return new Event.Progress("saving", units, new Event.Bar("all", done, total));
    }

    private static String printable(String text) {
        return text.replace("\033", "ESC").replace("\r", "CR").replace("\n", "LF");
    }
}
