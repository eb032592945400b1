package dev.stowage.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * JSON lines on stdout, one object per event, each with a {@code message_type} of
 * {@code status}, {@code summary} or {@code error}. Status lines carry an {@code event} of
 * {@code step}, {@code unit}, {@code progress} (at most once a second) or {@code notice}.
 * The fields are a documented contract: add, never rename.
 */
public final class JsonReporter implements Reporter {
    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final LongSupplier clock;
    private long lastProgress;

    public JsonReporter(PrintStream out) {
        this(out, System::nanoTime);
    }

    /** With {@code clock} in nanoseconds, so that the throttle can be tested without sleeping. */
    JsonReporter(PrintStream out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
        this.lastProgress = clock.getAsLong() - PROGRESS_INTERVAL_NANOS;
    }

    @Override
    public synchronized void emit(Event event) {
        ObjectNode node = Json.mapper().createObjectNode();
        if (event instanceof Event.Step step) {
            status(node, "step").put("message", step.message());
        } else if (event instanceof Event.UnitDone unit) {
            status(node, "unit").put("key", unit.key()).put("label", unit.label())
                        .put("action", unit.action()).put("bytes", unit.bytes());
            putAll(node, unit.fields());
        } else if (event instanceof Event.Notice notice) {
            status(node, "notice").put("level", notice.level()).put("message", notice.message());
            if (notice.hint() != null) {
                node.put("hint", notice.hint());
            }
        } else if (event instanceof Event.Progress progress) {
            long now = clock.getAsLong();
            boolean complete = progress.overall().done() >= progress.overall().total();
            if (now - lastProgress < PROGRESS_INTERVAL_NANOS && !complete) {
                return;
            }
            lastProgress = now;
            status(node, "progress").put("activity", progress.activity())
                    .put("bytes_done", progress.overall().done())
                    .put("total_bytes", progress.overall().total())
                    .put("percent_done", Math.round(progress.overall().fraction() * 1000) / 10.0);
        } else if (event instanceof Event.Summary summary) {
            node.put("message_type", "summary").put("operation", summary.operation());
            putAll(node, summary.fields());
        }
        print(node);
    }

    @Override
    public synchronized void error(StowageException error, String stacktrace) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("message_type", "error").put("message", error.getMessage());
        if (error.hint() != null) {
            node.put("hint", error.hint());
        }
        node.put("exit_code", error.exitCode().code()).put("exit_reason", error.exitCode().name().toLowerCase(Locale.ROOT));
        if (stacktrace != null) {
            node.put("stacktrace", stacktrace);
        }
        print(node);
    }

    private static ObjectNode status(ObjectNode node, String event) {
        return node.put("message_type", "status").put("event", event);
    }

    private static void putAll(ObjectNode node, Map<String, Object> fields) {
        fields.forEach((key, value) -> node.set(key, Json.mapper().valueToTree(value)));
    }

    private void print(ObjectNode node) {
        try {
            out.println(Json.mapper().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
        out.flush();
    }
}
