package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.BlobRef;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.model.ImageRecord;
import dev.stowage.model.Manifest;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationDirTest {
    private static final Digest CONFIG = Digest.parse("a".repeat(64));
    private static final Manifest MANIFEST = Manifest.ofImages("0.1.0", Instant.parse("2024-05-01T00:00:00Z"),
            new DaemonFacts("24.0.7", "1.43", "1.12", "overlay2", "/var/lib/docker", "h", "Debian", "x86_64"),
            List.of(new ImageRecord(CONFIG, List.of("a:1"), List.of(), null, new BlobRef(CONFIG, 10), List.of())));

    @TempDir
    Path parent;

    @Test
    void prepareCreatesAPrivateDirectory() throws IOException {
        Path dir = MigrationDir.prepare(parent.resolve("m"));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void manifestRoundTripsAndIsPrivate() throws IOException {
        MigrationDir dir = open();

        dir.writeManifest(MANIFEST);

        assertEquals(Optional.of(MANIFEST), dir.manifest());
        assertTrue(MigrationDir.hasManifest(dir.root()));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.root().resolve(MigrationDir.MANIFEST))));
    }

    @Test
    void noManifestYetIsEmpty() {
        MigrationDir dir = open();

        assertEquals(Optional.empty(), dir.manifest());
        assertFalse(MigrationDir.hasManifest(dir.root()));
    }

    @Test
    void manifestFromANewerFormatIsRefused() throws IOException {
        MigrationDir dir = open();
        Files.writeString(dir.root().resolve(MigrationDir.MANIFEST), "{\"format_version\":" + (Manifest.FORMAT_VERSION + 1)
                + ",\"source\":{},\"images\":[]}");

        StowageException e = assertThrows(StowageException.class, dir::manifest);

        assertEquals(ExitCode.PRECHECK, e.exitCode());
    }

    @Test
    void damagedManifestIsAVerificationFailure() throws IOException {
        MigrationDir dir = open();
        Files.writeString(dir.root().resolve(MigrationDir.MANIFEST), "{\"format_version\":1,\"images\":[{");

        StowageException e = assertThrows(StowageException.class, dir::manifest);

        assertEquals(ExitCode.VERIFY, e.exitCode());
    }

    @Test
    void openLeavesNoWriteCheckBehind() throws IOException {
        MigrationDir dir = open();

        try (var files = Files.list(dir.root())) {
            assertEquals(List.of("blobs", "tmp"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    private MigrationDir open() {
        return MigrationDir.open(MigrationDir.prepare(parent.resolve("m")));
    }
}
