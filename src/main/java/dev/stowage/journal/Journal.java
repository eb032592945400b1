package dev.stowage.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.stowage.fs.Fsync;
import dev.stowage.fs.NoSpaceException;
import dev.stowage.fs.PrivatePaths;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The append-only journal of a migration directory: JSON lines, each fsynced before the side
 * effect it announces (or after the one it confirms) goes ahead. Replaying it tells a rerun what is
 * done, what was in flight when the last run died, and the facts it recorded on the way. A line
 * torn by a crash is dropped on open; every whole line before it stands.
 */
public final class Journal implements AutoCloseable {
    public static final String FILE = "journal.jsonl";

    private final Path file;
    private final FileChannel channel;
    private final List<JournalRecord> records;
    private final Map<String, JournalRecord> latest = new LinkedHashMap<>();
    private long seq;

    private Journal(Path file, FileChannel channel, List<JournalRecord> records) {
        this.file = file;
        this.channel = channel;
        this.records = records;
        records.forEach(r -> latest.put(r.unit(), r));
        this.seq = records.isEmpty() ? 0 : records.get(records.size() - 1).seq();
    }

    /** Opens (creating) the journal in {@code dir}, replaying what is there. Hold the run lock first. */
    public static Journal open(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            List<JournalRecord> records = new ArrayList<>();
            long validBytes = replay(file, records);
            boolean created = !Files.exists(file);
            FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PrivatePaths.FILE));
            if (channel.size() > validBytes) {
                channel.truncate(validBytes); // a torn last line from a crash mid-append
                channel.force(true);
            }
            channel.position(validBytes);
            if (created) {
                Fsync.directory(dir);
            }
            return new Journal(file, channel, records);
        } catch (IOException e) {
            throw new StowageException(ExitCode.JOURNAL, "cannot open the journal " + file + ": " + e.getMessage(),
                    "check the migration directory's filesystem; the journal is what lets a rerun carry on", e);
        }
    }

    /**
     * The journal of {@code dir} as it stands, read without the run lock and without writing a
     * byte (no file created, no torn line truncated): for {@code status}, also while a run holds
     * the lock and appends. Appending to it fails.
     */
    public static Journal readOnly(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            List<JournalRecord> records = new ArrayList<>();
            replay(file, records);
            return new Journal(file, null, records);
        } catch (IOException e) {
            throw new StowageException(ExitCode.JOURNAL, "cannot read the journal " + file + ": " + e.getMessage(),
                    "check the migration directory (--dir) and its permissions", e);
        }
    }

    private static long replay(Path file, List<JournalRecord> records) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long valid = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = reader.readLine()) != null; ) {
                JournalRecord record;
                try {
                    record = Json.mapper().readValue(line, JournalRecord.class);
                } catch (IOException torn) {
                    break; // only the last line can be torn: everything after it is ignored
                }
                records.add(record);
                valid += line.getBytes(StandardCharsets.UTF_8).length + 1;
            }
        }
        return valid;
    }

    /** Appends and fsyncs a record; returns once it is on disk. */
    public synchronized JournalRecord append(String type, String unit, JsonNode data) {
        if (channel == null) {
            throw new IllegalStateException("the journal " + file + " was opened read-only");
        }
        JournalRecord record = new JournalRecord(++seq, Instant.now(), type, unit,
                data == null ? NullNode.getInstance() : data);
        long end = -1;
        try {
            end = channel.position();
            byte[] line = (Json.mapper().writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            dropPartial(end);
            seq--;
            if (NoSpaceException.isNoSpace(e)) {
                throw new StowageException(ExitCode.NO_SPACE, "no space left on " + new NoSpaceException(file, e)
                        .filesystem() + " for the journal " + file, "free space on that filesystem, then run the same"
                        + " command again: the journal up to here is intact", e);
            }
            throw new StowageException(ExitCode.JOURNAL, "cannot write the journal " + file + ": " + e.getMessage(),
                    "is the migration directory's filesystem full or read-only?", e);
        }
        records.add(record);
        latest.put(unit, record);
        return record;
    }

    /**
     * Cuts a record that did not make it whole back off, so that the journal still ends on a line
     * boundary (a later append in this run would otherwise follow a torn line and be lost on replay).
     */
    private void dropPartial(long end) {
        if (end < 0) {
            return;
        }
        try {
            channel.truncate(end);
            channel.position(end);
        } catch (IOException ignored) {
            // replay drops a torn last line anyway; this only keeps later appends of this run readable
        }
    }

    public JournalRecord started(String unit, JsonNode data) {
        return append(JournalRecord.STARTED, unit, data);
    }

    public JournalRecord done(String unit, JsonNode data) {
        return append(JournalRecord.DONE, unit, data);
    }

    public JournalRecord note(String unit, JsonNode data) {
        return append(JournalRecord.NOTE, unit, data);
    }

    /** The last record of a unit, if any. */
    public synchronized Optional<JournalRecord> last(String unit) {
        return Optional.ofNullable(latest.get(unit));
    }

    /** Whether the unit's last record is {@code done}. */
    public boolean isDone(String unit) {
        return last(unit).map(r -> r.type().equals(JournalRecord.DONE)).orElse(false);
    }

    /** The data of the unit's last {@code done} record. */
    public Optional<JsonNode> doneData(String unit) {
        return last(unit).filter(r -> r.type().equals(JournalRecord.DONE)).map(JournalRecord::data);
    }

    /** Every record, oldest first. */
    public synchronized List<JournalRecord> records() {
        return List.copyOf(records);
    }

    /** Units whose key starts with {@code prefix}, with their last record, in first-seen order. */
    public synchronized Map<String, JournalRecord> units(String prefix) {
        Map<String, JournalRecord> matching = new LinkedHashMap<>();
        latest.forEach((unit, record) -> {
            if (unit.startsWith(prefix)) {
                matching.put(unit, record);
            }
        });
        return matching;
    }

    /**
     * The records of the current session of {@code operation} (export, import, migrate): those
     * after its last completion. A rerun after a crash sees its unfinished session; a new export
     * after a finished one starts afresh instead of trusting facts that may have changed since.
     */
    public synchronized Session session(String operation) {
        String marker = operation + "/complete";
        int from = 0;
        for (int i = records.size() - 1; i >= 0; i--) {
            JournalRecord record = records.get(i);
            if (record.unit().equals(marker) && record.type().equals(JournalRecord.DONE)) {
                from = i + 1;
                break;
            }
        }
        String prefix = operation + "/";
        return new Session(this, marker, records.subList(from, records.size()).stream()
                .filter(r -> r.unit().startsWith(prefix) && !r.unit().equals(marker)).toList());
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // every record was fsynced when it was written
        }
    }
}
