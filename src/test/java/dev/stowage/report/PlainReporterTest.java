package dev.stowage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainReporterTest {
    private final Capture out = new Capture();
    private final Capture err = new Capture();
    private final PlainReporter reporter = new PlainReporter(out.stream, err.stream);

    @Test
    void unitLineShowsActionLabelSizeAndSortedFields() {
        reporter.emit(new Event.UnitDone("export/image/x", "app:1", "exported", 3L << 20,
                Map.of("layers", 2, "id", "sha256:abc")));

        assertEquals(List.of("exported  app:1  3.0 MiB  id=sha256:abc layers=2"), out.lines());
    }

    @Test
    void unitLineWithoutFieldsEndsAtTheSize() {
        reporter.emit(new Event.UnitDone("k", "app:1", "reused", 10, Map.of()));

        assertEquals(List.of("reused    app:1  10 B"), out.lines());
    }

    @Test
    void stepsNoticesAndSummariesArePlainLines() {
        reporter.emit(new Event.Step("saving 3 images"));
        reporter.emit(Event.Notice.info("all stored"));
        reporter.emit(Event.Notice.warning("blob damaged", "it will be saved again"));
        reporter.emit(Event.Notice.warning("no hint", null));
        reporter.emit(new Event.Summary("export", Map.of("images", 3), List.of("exported 3 images", "  blobs: 5")));

        assertEquals(List.of("saving 3 images", "all stored", "warning: blob damaged", "  hint: it will be saved again",
                "warning: no hint", "exported 3 images", "  blobs: 5"), out.lines());
        assertEquals("", err.text());
    }

    @Test
    void progressPrintsNothing() {
        reporter.emit(new Event.Progress("saving", List.of(), new Event.Bar("all", 1, 2)));

        assertEquals("", out.text());
    }

    @Test
    void errorGoesToStderrWithItsHint() {
        reporter.error(new StowageException(ExitCode.DAEMON, "cannot reach the daemon", "start it"), null);

        assertEquals(List.of("stowage: error: cannot reach the daemon", "  hint: start it"), err.lines());
        assertEquals("", out.text());
    }

    @Test
    void errorPrintsTheStacktraceWhenGiven() {
        reporter.error(new StowageException(ExitCode.INTERNAL, "boom", null), "trace line\n");

        assertEquals(List.of("stowage: error: boom", "trace line"), err.lines());
    }
}
