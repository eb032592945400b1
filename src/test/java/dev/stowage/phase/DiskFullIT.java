package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.probe.LoopDisk;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Export onto a small real filesystem (a 192 MiB ext4 on a loop device, no reserved blocks) of
 * which a filler file (something else on the host) has taken 100 MiB, so that the daemon's images
 * do not fit: the dry run says so, the real run refuses before writing, a run forced past the
 * check ({@code --no-space-check}) stops cleanly when the disk fills, and once the filler is gone
 * a rerun finishes and keeps every blob the full run had stored.
 */
class DiskFullIT {
    static final long BULK_BYTES = 48_000_000L;

    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", daemon -> {
        ImageFixtures.small(daemon);
        for (String name : List.of("bulk-a", "bulk-b")) {
            daemon.build("stowage-test/" + name + ":1", "FROM " + ImageFixtures.BASE + "\nRUN head -c " + BULK_BYTES
                    + " /dev/urandom > /" + name + "\n");
        }
    });

    @Test
    void aFullDiskStopsTheExportCleanlyAndARerunAfterGrowingItCarriesOn() throws Exception {
        PrivateDaemon daemon = source.daemon();
        Path work = Files.createTempDirectory("stowage-diskfull-it-");
        try (LoopDisk disk = LoopDisk.ext4(work.resolve("disk"), 192)) {
            Shell.run("tune2fs", "-m", "0", disk.device());
            Path filler = disk.mountPoint().resolve("filler");
            Shell.run("fallocate", "-l", "100M", filler.toString());
            Path dir = disk.mountPoint().resolve("migrate");
            String mount = disk.mountPoint().toString();

            Run dry = export(daemon, dir, "--dry-run", "--json");
            assertEquals(4, dry.exitCode(), dry::toString);
            JsonNode total = totalFor(dry.summary(), mount);
            assertEquals("NO SPACE", total.path("verdict").asText(), total.toString());
            assertTrue(total.path("needed_bytes").asLong() > 2 * BULK_BYTES, total.toString());
            assertTrue(dry.error().path("message").asText().contains(mount), dry.error().toString());
            Run human = export(daemon, dir, "--dry-run");
            assertEquals(4, human.exitCode(), human::toString);
            assertTrue(human.stdout().lines().anyMatch(l -> l.startsWith("total (+") && l.endsWith("NO SPACE")
                    && l.contains(mount)), human.stdout());

            Run refused = export(daemon, dir, "--json");
            assertEquals(4, refused.exitCode(), refused::toString);
            assertTrue(refused.error().path("message").asText().startsWith("not enough space for the export: " + mount),
                    refused.error().toString());
            assertEquals(0, files(dir.resolve("blobs/sha256")).size(), "refused before writing a blob");

            Run full = export(daemon, dir, "--no-space-check", "--json");
            assertEquals(4, full.exitCode(), full::toString);
            String message = full.error().path("message").asText();
            assertTrue(message.contains("no space left on " + mount), message);
            assertTrue(message.contains("the plan: " + mount + ": about"), message);
            assertTrue(full.error().path("hint").asText().contains("run the same command again"), full.error().toString());
            assertFalse(Files.exists(dir.resolve("manifest.json")), "no manifest from an export that ran out of space");
            assertEquals(0, files(dir.resolve("tmp")).size(), "the partial blob was deleted, not left in tmp/");
            Map<Path, BasicFileAttributes> stored = new HashMap<>();
            for (Path blob : files(dir.resolve("blobs/sha256"))) {
                assertEquals(blob.getFileName().toString(), Digests.sha256(blob), "no half-written blob under a final name");
                stored.put(blob, Files.readAttributes(blob, BasicFileAttributes.class));
            }
            assertTrue(stored.values().stream().anyMatch(a -> a.size() >= BULK_BYTES), "one large layer made it");
            assertJournalIsWhole(dir);

            Files.delete(filler);
            Run rerun = export(daemon, dir, "--json");
            assertEquals(0, rerun.exitCode(), rerun::toString);
            for (Map.Entry<Path, BasicFileAttributes> blob : stored.entrySet()) {
                BasicFileAttributes after = Files.readAttributes(blob.getKey(), BasicFileAttributes.class);
                assertEquals(blob.getValue().fileKey(), after.fileKey(), "kept, not rewritten: " + blob.getKey());
            }
            int total2 = files(dir.resolve("blobs/sha256")).size();
            assertEquals(total2 - stored.size(), rerun.summary().path("blobs_written").asInt(),
                    "the rerun wrote only what the full disk had stopped");
            assertTrue(Files.exists(dir.resolve("manifest.json")));
            System.out.printf("DISK-FULL stopped with %d of %d blobs stored; error: %s%n", stored.size(), total2, message);
        } finally {
            Shell.quietly("rm", "-rf", work.toString());
        }
    }

    private static Run export(PrivateDaemon daemon, Path dir, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("storage", "export", "--host", daemon.host(),
                "--dir", dir.toString()));
        args.addAll(List.of(options));
        return StowageProcess.run(args.toArray(new String[0]));
    }

    private static JsonNode totalFor(JsonNode summary, String mountPoint) {
        for (JsonNode total : summary.path("space_totals")) {
            if (total.path("mount_point").asText().equals(mountPoint)) {
                return total;
            }
        }
        throw new AssertionError("no space total for " + mountPoint + " in " + summary);
    }

    /** Every line of the journal is a whole record: nothing half-written by the full disk. */
    private static void assertJournalIsWhole(Path dir) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String text = Files.readString(dir.resolve("journal.jsonl"));
        assertTrue(text.isEmpty() || text.endsWith("\n"), "ends on a line boundary");
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                mapper.readTree(line);
            }
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
