package dev.stowage.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One operation's records since it last completed: what this attempt (and the crashed attempts
 * before it) did. Appends go to the journal and are visible here at once.
 */
public final class Session {
    private final Journal journal;
    private final String marker;
    private final Map<String, JournalRecord> latest = new LinkedHashMap<>();

    Session(Journal journal, String marker, List<JournalRecord> records) {
        this.journal = journal;
        this.marker = marker;
        records.forEach(r -> latest.put(r.unit(), r));
    }

    /** True when an earlier attempt of this session left records: this run is a resume. */
    public boolean resuming() {
        return !latest.isEmpty();
    }

    public synchronized JournalRecord started(String unit, JsonNode data) {
        return track(journal.started(unit, data));
    }

    public synchronized JournalRecord done(String unit, JsonNode data) {
        return track(journal.done(unit, data));
    }

    public synchronized JournalRecord note(String unit, JsonNode data) {
        return track(journal.note(unit, data));
    }

    /** Closes the session: later runs of the operation start a new one. */
    public synchronized void complete(JsonNode data) {
        journal.done(marker, data);
        latest.clear();
    }

    public synchronized Optional<JournalRecord> last(String unit) {
        return Optional.ofNullable(latest.get(unit));
    }

    public boolean isDone(String unit) {
        return last(unit).map(r -> r.type().equals(JournalRecord.DONE)).orElse(false);
    }

    public boolean wasStarted(String unit) {
        return last(unit).isPresent();
    }

    public Optional<JsonNode> doneData(String unit) {
        return last(unit).filter(r -> r.type().equals(JournalRecord.DONE)).map(JournalRecord::data);
    }

    /** Units under {@code prefix} with their last record, in first-seen order. */
    public synchronized Map<String, JournalRecord> units(String prefix) {
        Map<String, JournalRecord> matching = new LinkedHashMap<>();
        latest.forEach((unit, record) -> {
            if (unit.startsWith(prefix)) {
                matching.put(unit, record);
            }
        });
        return matching;
    }

    private JournalRecord track(JournalRecord record) {
        latest.put(record.unit(), record);
        return record;
    }
}
