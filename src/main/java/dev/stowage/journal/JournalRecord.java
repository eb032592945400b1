package dev.stowage.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the journal.
 *
 * @param type {@code started} before a side effect, {@code done} after it, {@code failed} when it
 *     failed cleanly, {@code note} for facts a later run needs (e.g. a container's state before
 *     the export stopped it)
 * @param unit the stable key of the unit of work, e.g. {@code export/volume/pgdata}
 * @param data what a later run needs to know: digests, sizes, previous states
 */
public record JournalRecord(long seq, Instant time, String type, String unit, JsonNode data) {
    public static final String STARTED = "started";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String NOTE = "note";

    public JournalRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unit, "unit");
    }
}
