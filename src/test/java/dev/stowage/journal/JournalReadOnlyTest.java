package dev.stowage.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Journal#readOnly}: what {@code status} reads while a run may hold and append to the journal. */
class JournalReadOnlyTest {
    @TempDir
    Path dir;

    @Test
    void aMissingJournalReadsEmptyAndIsNotCreated() {
        try (Journal journal = Journal.readOnly(dir)) {
            assertTrue(journal.records().isEmpty());
        }
        assertFalse(Files.exists(dir.resolve(Journal.FILE)));
    }

    @Test
    void readsWhatARunWroteLeavesAHalfWrittenLineAloneAndRefusesToAppend() throws IOException {
        try (Journal writer = Journal.open(dir)) {
            writer.started("migrate/phase/export", null);
            writer.done("migrate/phase/export", null);
        }
        Path file = dir.resolve(Journal.FILE);
        Files.writeString(file, "{\"seq\":3,\"type\":\"sta", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        long size = Files.size(file);

        try (Journal journal = Journal.readOnly(dir)) {
            assertEquals(2, journal.records().size());
            assertTrue(journal.isDone("migrate/phase/export"));
            assertThrows(IllegalStateException.class, () -> journal.note("migrate/x", null));
        }
        assertEquals(size, Files.size(file), "the line a running writer is appending is not truncated");
    }
}
