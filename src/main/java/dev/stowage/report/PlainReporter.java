package dev.stowage.report;

import dev.stowage.model.ByteSize;
import dev.stowage.model.StowageException;
import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;

/** One plain line per unit, for logs, pipes and Ansible: no colours, no redrawing. */
public class PlainReporter implements Reporter {
    protected final PrintStream out;
    protected final PrintStream err;

    public PlainReporter(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void emit(Event event) {
        // Progress is not printed: plain output reports units as they finish, not the bytes in between.
        if (event instanceof Event.Step step) {
            line(step.message());
        } else if (event instanceof Event.UnitDone unit) {
            line(unitLine(unit));
        } else if (event instanceof Event.Notice notice) {
            notice(notice);
        } else if (event instanceof Event.Summary summary) {
            summary.lines().forEach(this::line);
        }
    }

    protected void line(String text) {
        out.println(text);
        out.flush();
    }

    protected void notice(Event.Notice notice) {
        if (notice.level().equals("warning")) {
            line("warning: " + notice.message() + (notice.hint() == null ? "" : "\n  hint: " + notice.hint()));
        } else {
            line(notice.message());
        }
    }

    static String unitLine(Event.UnitDone unit) {
        String details = unit.fields().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return String.format("%-9s %s  %s%s", unit.action(), unit.label(), ByteSize.of(unit.bytes()).human(),
                details.isEmpty() ? "" : "  " + details);
    }

    @Override
    public void error(StowageException error, String stacktrace) {
        out.flush();
        err.println("stowage: error: " + error.getMessage());
        if (error.hint() != null) {
            err.println("  hint: " + error.hint());
        }
        if (stacktrace != null) {
            err.print(stacktrace);
        }
        err.flush();
    }
}
