package dev.stowage.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.fs.AtomicFile;
import dev.stowage.fs.NoSpaceException;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.testing.Mounts;
import dev.stowage.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The journal and atomic files on a real filesystem that runs full (a 64 KiB tmpfs). */
class JournalFullIT {
    Path work;
    Path full;

    @BeforeEach
    void tinyFilesystem() throws IOException {
        work = Files.createTempDirectory("stowage-journal-full-it-");
        full = Files.createDirectories(work.resolve("fs"));
        Shell.run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full.toString());
    }

    @AfterEach
    void clean() {
        Mounts.unmountUnder(work);
        Shell.quietly("rm", "-rf", work.toString());
    }

    @Test
    void aFullDiskStopsTheJournalWithExitCodeFourAndLeavesEveryRecordWhole() throws IOException {
        int written = 0;
        StowageException error;
        try (Journal journal = Journal.open(full)) {
            String padding = "x".repeat(900);
            error = assertThrows(StowageException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    journal.note("fill/" + i, Json.mapper().createObjectNode().put("padding", padding));
                }
            });
            written = journal.records().size();
            assertEquals(ExitCode.NO_SPACE, error.exitCode());
            assertTrue(error.getMessage().startsWith("no space left on " + full), error.getMessage());
        }
        String text = Files.readString(full.resolve(Journal.FILE));
        assertTrue(text.endsWith("\n"), "the torn record was cut back off");
        try (Journal reopened = Journal.open(full)) {
            assertEquals(written, reopened.records().size(), "every record appended before the full disk replays");
        }
        assertTrue(written > 10, "the filesystem took some records first: " + written);
    }

    @Test
    void anAtomicWriteOnAFullDiskKeepsTheOldContentAndSaysNoSpace() throws IOException {
        Path target = full.resolve("manifest.json");
        byte[] old = "old".getBytes();
        AtomicFile.write(target, old);
        NoSpaceException e = assertThrows(NoSpaceException.class, () -> AtomicFile.write(target, new byte[1 << 20]));
        assertEquals(target, e.path());
        assertTrue(e.filesystem().startsWith(full.toString()), e.filesystem());
        assertArrayEquals(old, Files.readAllBytes(target));
        try (var files = Files.list(full)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }
}
