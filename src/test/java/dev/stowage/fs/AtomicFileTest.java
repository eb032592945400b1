package dev.stowage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void writesAPrivateFile() throws IOException {
        Path target = dir.resolve("manifest.json");

        AtomicFile.write(target, "{}".getBytes(StandardCharsets.UTF_8));

        assertEquals("{}", Files.readString(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of(target), list());
    }

    @Test
    void replacesTheOldContentWhole() throws IOException {
        Path target = dir.resolve("manifest.json");
        AtomicFile.write(target, "old content that is longer".getBytes(StandardCharsets.UTF_8));

        AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8));

        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), list(), "no temp file is left beside it");
    }

    @Test
    void failedWriteKeepsTheOldContentAndLeavesNoTemp() throws IOException {
        Path target = dir.resolve("manifest.json");
        AtomicFile.write(target, "old".getBytes(StandardCharsets.UTF_8));

        assertThrows(IOException.class, () -> AtomicFile.write(target, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));

        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), list());
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
