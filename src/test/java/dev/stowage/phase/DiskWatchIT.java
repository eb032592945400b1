package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.probe.BlkioCgroup;
import dev.stowage.probe.LoopDisk;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A disk that stalls in the middle of an export, for real: the stowage process runs in a cgroup-v1
 * blkio group; once the save stream is being stored, the group's writes to the loop device under
 * the migration directory are throttled to 256 B/s (the next fsync waits for minutes), and lifted
 * again once the export has said so. The watcher must see it, say it, journal it, and the export
 * must then finish.
 */
class DiskWatchIT {
    static final long BULK_BYTES = 120_000_000L;

    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", daemon -> {
        ImageFixtures.base(daemon);
        for (String name : List.of("bulk-a", "bulk-b")) {
            daemon.build("stowage-test/" + name + ":1", "FROM " + ImageFixtures.BASE + "\nRUN head -c " + BULK_BYTES
                    + " /dev/urandom > /" + name + "\n");
        }
    });

    @Test
    void aStallMidExportIsReportedAndJournalledAndTheExportFinishesOnceItClears() throws Exception {
        PrivateDaemon daemon = source.daemon();
        Path work = Files.createTempDirectory("stowage-watch-it-");
        try (LoopDisk disk = LoopDisk.ext4(work.resolve("disk"), 512);
                BlkioCgroup cgroup = BlkioCgroup.create("watch")) {
            Path dir = disk.mountPoint().resolve("migrate");
            Path out = work.resolve("stdout.txt");
            List<String> command = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                    cgroup.dir().resolve("cgroup.procs").toString(), StowageProcess.launcher().toAbsolutePath().toString(),
                    "storage", "export", "--host", daemon.host(), "--dir", dir.toString(), "--json"));
            Process export = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(work.resolve("stderr.txt").toFile()).start();
            assertTrue(waitFor(() -> partialBlobOver(dir, 8 << 20), export, 120), "the save stream is being stored");
            cgroup.writeBytesPerSecond(disk.deviceId(), 256);
            boolean seen = waitFor(() -> read(out).contains("disk stalled mid-run"), export, 60);
            cgroup.writeBytesPerSecond(disk.deviceId(), 0);
            assertTrue(export.waitFor(300, TimeUnit.SECONDS), "the export finished once the disk recovered");
            StowageProcess.Run run = new StowageProcess.Run(export.exitValue(), read(out),
                    read(work.resolve("stderr.txt")));
            assertTrue(seen, "the stall was reported while it lasted:\n" + run);
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.stdout().contains("disk recovered after"), run.stdout());
            List<String> events = new ArrayList<>();
            for (JsonNode record : SpacePlanIT.journal(dir)) {
                if (record.path("unit").asText().equals("health/watch")) {
                    events.add(record.path("data").path("event").asText());
                }
            }
            assertTrue(events.containsAll(List.of("stalled", "recovered", "summary")), events.toString());
            String stalled = run.jsonLines().stream().filter(l -> l.path("message").asText()
                    .startsWith("disk stalled mid-run")).findFirst().orElseThrow().path("message").asText();
            System.out.println("WATCH-STALL " + stalled + "; journal: " + events);
        } finally {
            Shell.quietly("rm", "-rf", work.toString());
        }
    }

    private static boolean partialBlobOver(Path dir, long bytes) {
        try (Stream<Path> temp = Files.list(dir.resolve("tmp"))) {
            return temp.anyMatch(p -> p.toFile().length() > bytes);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, Process process, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
