package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.testing.Digests;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Export under failure: no daemon, an unwritable directory, and a SIGKILL in the middle of a blob. */
class ExportFailureIT {
    private static final long BULK_BYTES = 64_000_000L;

    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", daemon -> {
        ImageFixtures.small(daemon);
        // two large layers, so that a kill can land while one is stored and the other is streaming
        for (String name : List.of("bulk-a", "bulk-b")) {
            daemon.build("stowage-test/" + name + ":1", "FROM " + ImageFixtures.BASE + "\nRUN head -c " + BULK_BYTES
                    + " /dev/urandom > /" + name + "\n");
        }
    });

    Path work;

    @BeforeEach
    void workDir() throws IOException {
        work = Files.createTempDirectory("stowage-it-export-fail");
    }

    @AfterEach
    void cleanWork() {
        dev.stowage.testing.Mounts.unmountUnder(work);
        Shell.quietly("rm", "-rf", work.toString());
    }

    @Test
    void unreachableDaemonExitsFiveAndSaysWhatToDo() {
        Run missing = StowageProcess.run("storage", "export", "--host", "unix://" + work.resolve("no.sock"),
                "--dir", work.resolve("m").toString(), "--json");
        assertEquals(5, missing.exitCode(), missing::toString);
        assertTrue(missing.error().path("message").asText().contains("cannot reach the Docker daemon"));
        assertTrue(missing.error().path("hint").asText().contains("--host"));

        Run refused = StowageProcess.run("storage", "export", "--host", "tcp://127.0.0.1:1",
                "--dir", work.resolve("m").toString());
        assertEquals(5, refused.exitCode(), refused::toString);
        assertTrue(refused.stderr().contains("cannot reach the Docker daemon at tcp://127.0.0.1:1"), refused::toString);
        assertFalse(Files.exists(work.resolve("m")), "nothing is created when the daemon cannot be reached");
    }

    @Test
    void unwritableMigrationDirExitsThreeBeforeSaving() throws IOException {
        Path readOnly = Files.createDirectories(work.resolve("ro"));
        Shell.run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", readOnly.toString());
        Run run = StowageProcess.run("storage", "export", "--host", source.daemon().host(),
                "--dir", readOnly.resolve("migrate").toString(), "--json");
        assertEquals(3, run.exitCode(), run::toString);
        assertTrue(run.error().path("message").asText().contains("is not writable"), run::toString);
        assertTrue(run.error().path("message").asText().contains("Read-only file system"), run::toString);
    }

    @Test
    void killDuringABlobThenRerunCompletesAndReusesStoredBlobs() throws Exception {
        PrivateDaemon daemon = source.daemon();
        Path dir = work.resolve("migrate");
        Process export = StowageProcess.start(work, "storage", "export", "--host", daemon.host(),
                "--dir", dir.toString());
        boolean killedMidBlob = waitForLargeBlobStoredAndAnotherPartial(dir, export);
        Shell.run("kill", "-9", Long.toString(export.pid()));
        export.waitFor(30, TimeUnit.SECONDS);
        assertTrue(killedMidBlob, "the kill landed with one large blob stored and another half-written");
        assertFalse(Files.exists(dir.resolve("manifest.json")), "no manifest from a killed export");

        Map<Path, BasicFileAttributes> before = new HashMap<>();
        for (Path blob : blobs(dir)) {
            assertEquals(blob.getFileName().toString(), Digests.sha256(blob), "no half-written blob under a final name");
            before.put(blob, Files.readAttributes(blob, BasicFileAttributes.class));
        }
        assertFalse(before.isEmpty());

        Run rerun = StowageProcess.run("storage", "export", "--host", daemon.host(), "--dir", dir.toString(), "--json");
        assertEquals(0, rerun.exitCode(), rerun::toString);
        for (Map.Entry<Path, BasicFileAttributes> blob : before.entrySet()) {
            BasicFileAttributes after = Files.readAttributes(blob.getKey(), BasicFileAttributes.class);
            assertEquals(blob.getValue().fileKey(), after.fileKey(), "blob kept, not rewritten: " + blob.getKey());
            assertEquals(blob.getValue().lastModifiedTime(), after.lastModifiedTime());
        }
        int total = blobs(dir).size();
        assertEquals(total - before.size(), rerun.summary().path("blobs_written").asInt(),
                "the rerun wrote only the blobs the kill left missing");
        try (Stream<Path> temp = Files.list(dir.resolve("tmp"))) {
            assertEquals(0, temp.count(), "the rerun cleared the killed run's temp files");
        }
        for (Path blob : blobs(dir)) {
            assertEquals(blob.getFileName().toString(), Digests.sha256(blob));
        }
        assertEquals(daemon.imageTable().values().stream().distinct().count(), rerun.summary().path("images").asInt());
    }

    private static boolean waitForLargeBlobStoredAndAnotherPartial(Path dir, Process export) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && export.isAlive()) {
            boolean stored = blobs(dir).stream().anyMatch(b -> size(b) >= BULK_BYTES);
            boolean partial = files(dir.resolve("tmp")).stream().anyMatch(p -> size(p) >= (1 << 20));
            if (stored && partial) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private static List<Path> blobs(Path dir) {
        return files(dir.resolve("blobs/sha256"));
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            return List.of(); // a file renamed while listing: look again on the next poll
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    @SuppressWarnings("unused")
    private static FileTime mtime(Path file) throws IOException {
        return Files.getLastModifiedTime(file);
    }
}
