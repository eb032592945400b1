package dev.stowage.report;

import dev.stowage.model.ByteSize;
import dev.stowage.model.StowageException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plain lines plus live progress bars at the bottom of the terminal: one per unit in flight and
 * one for the whole run with its rate and ETA. Bars are redrawn in place with ANSI escapes.
 */
public final class ConsoleReporter extends PlainReporter {
    private static final String CLEAR_LINE = "\r\033[2K";
    private static final String UP = "\033[1A";
    private static final int MAX_UNIT_BARS = 4;

    private final int width;
    private final RateEstimator rate = new RateEstimator();
    private List<String> drawn = List.of();
    private Event.Progress lastProgress;

    public ConsoleReporter(PrintStream out, PrintStream err, int width) {
        super(out, err);
        this.width = Math.max(60, width);
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public synchronized void emit(Event event) {
        if (event instanceof Event.Progress progress) {
            lastProgress = progress;
            rate.sample(progress.activity(), progress.overall().done());
            redraw(render(progress));
        } else {
            List<String> bars = drawn;
            redraw(List.of());
            super.emit(event);
            if (event instanceof Event.Summary) {
                lastProgress = null;
            } else if (!bars.isEmpty()) {
                redraw(bars);
            }
        }
    }

    /** Clears the bars first: the cursor sits at the end of the last bar, where stderr would continue. */
    @Override
    public synchronized void error(StowageException error, String stacktrace) {
        redraw(List.of());
        lastProgress = null;
        super.error(error, stacktrace);
    }

    private List<String> render(Event.Progress progress) {
        List<String> lines = new ArrayList<>();
        List<Event.Bar> units = progress.units();
        for (int i = 0; i < Math.min(MAX_UNIT_BARS, units.size()); i++) {
            lines.add(bar("  " + units.get(i).label(), units.get(i), ""));
        }
        if (units.size() > MAX_UNIT_BARS) {
            lines.add("  … and " + (units.size() - MAX_UNIT_BARS) + " more");
        }
        Event.Bar all = progress.overall();
        String tail = String.format(Locale.ROOT, " %s/%s %s ETA %s", ByteSize.of(all.done()).human(),
                ByteSize.of(all.total()).human(), rate.rateText(), rate.eta(all.total() - all.done()));
        lines.add(bar(progress.activity(), all, tail));
        return lines;
    }

    private String bar(String label, Event.Bar bar, String tail) {
        int labelWidth = Math.min(32, width / 3);
        String name = label.length() > labelWidth ? label.substring(0, labelWidth - 1) + "…" : label;
        int cells = Math.max(10, width - labelWidth - tail.length() - 10);
        int filled = (int) Math.round(bar.fraction() * cells);
        return String.format(Locale.ROOT, "%-" + labelWidth + "s [%s%s] %3d%%%s", name, "=".repeat(filled),
                " ".repeat(cells - filled), Math.round(bar.fraction() * 100), tail);
    }

    private void redraw(List<String> lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < drawn.size(); i++) {
            s.append(CLEAR_LINE);
            if (i < drawn.size() - 1) {
                s.append(UP);
            }
        }
        s.append(CLEAR_LINE);
        for (int i = 0; i < lines.size(); i++) {
            s.append(lines.get(i));
            if (i < lines.size() - 1) {
                s.append('\n');
            }
        }
        out.print(s);
        out.flush();
        drawn = List.copyOf(lines);
    }

    @Override
    public synchronized void close() {
        if (!drawn.isEmpty() && lastProgress != null) {
            out.println();
        } else {
            redraw(List.of());
        }
        out.flush();
    }
}
