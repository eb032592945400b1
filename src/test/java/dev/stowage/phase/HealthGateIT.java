package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.probe.BlkioCgroup;
import dev.stowage.probe.LoopDisk;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The disk health gate before an export, on a real loop-device filesystem as the migration
 * directory, slowed with a cgroup-v1 blkio throttle. The gate's probe process joins the throttled
 * group ($STOWAGE_PROBE_CGROUP), as in the probe's own tests, so only the probe sees the slow disk.
 */
class HealthGateIT {
    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", ImageFixtures::small);

    @Test
    void aStalledMigrationDiskRefusesTheExportUnlessTheGateIsIgnored() throws Exception {
        PrivateDaemon daemon = source.daemon();
        Path work = Files.createTempDirectory("stowage-gate-it-");
        try (LoopDisk disk = LoopDisk.ext4(work.resolve("disk"), 128);
                BlkioCgroup cgroup = BlkioCgroup.create("gate").writeBytesPerSecond(disk.deviceId(), 256)) {
            // At 256 B/s one 4 KiB write takes 16 s: far beyond the gate's 3 s budget.
            Map<String, String> env = Map.of("STOWAGE_PROBE_CGROUP", cgroup.dir().toString());
            Path dir = disk.mountPoint().resolve("migrate");

            long start = System.nanoTime();
            StowageProcess.Run refused = run(env, daemon, dir, "--json");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(11, refused.exitCode(), refused::toString);
            JsonNode error = refused.error();
            assertTrue(error.path("message").asText().startsWith("export refused: the disk is stalled"), error.toString());
            assertTrue(error.path("message").asText().contains(dir.toString()), error.toString());
            assertTrue(error.path("hint").asText().contains("--ignore-disk-health"), error.toString());
            assertFalse(Files.exists(dir.resolve("blobs/sha256")) && SpacePlanIT.bytesUnder(dir.resolve("blobs")) > 0,
                    "nothing exported");
            System.out.printf(Locale.ROOT, "GATE-STALLED refused in %.1f s (launcher included)%n", seconds);

            StowageProcess.Run ignored = run(env, daemon, dir, "--json", "--ignore-disk-health");
            assertEquals(0, ignored.exitCode(), ignored::toString);
            assertTrue(ignored.jsonLines().stream().anyMatch(l -> l.path("message").asText()
                    .contains("going ahead because of --ignore-disk-health")), ignored.stdout());
            assertTrue(Files.exists(dir.resolve("manifest.json")), "the export ran");
            List<String> verdicts = new ArrayList<>();
            SpacePlanIT.journal(dir).stream().filter(r -> r.path("unit").asText().equals("health/gate"))
                    .forEach(r -> verdicts.add(r.path("data").path("verdict").asText()));
            assertEquals(List.of("stalled", "stalled"), verdicts, "both gates are in the journal");
        } finally {
            Shell.quietly("rm", "-rf", work.toString());
        }
    }

    @Test
    void anUnthrottledDiskPassesTheGateAndTheBudgetBoundsItsTime() throws Exception {
        PrivateDaemon daemon = source.daemon();
        Path work = Files.createTempDirectory("stowage-gate-ok-it-");
        try (LoopDisk disk = LoopDisk.ext4(work.resolve("disk"), 128)) {
            Path dir = disk.mountPoint().resolve("migrate");
            for (String budget : List.of("2s", "3s", "5s")) {
                StowageProcess.Run run = run(Map.of(), daemon, dir, "--json", "--dry-run", "--health-budget", budget);
                assertEquals(0, run.exitCode(), run::toString);
                JsonNode gate = SpacePlanIT.journal(dir).stream().filter(r -> r.path("unit").asText()
                        .equals("health/gate")).reduce((a, b) -> b).orElseThrow().path("data");
                assertEquals("healthy", gate.path("verdict").asText(), gate.toString());
                double limit = Double.parseDouble(budget.replace("s", ""));
                System.out.printf(Locale.ROOT, "GATE-TIME --health-budget %s: %s s%n", budget,
                        gate.path("seconds").asText());
                assertTrue(gate.path("seconds").asDouble() <= limit + 0.5, "the gate kept to its budget: " + gate);
            }
            StowageProcess.Run tooShort = run(Map.of(), daemon, dir, "--health-budget", "1s");
            assertEquals(2, tooShort.exitCode(), tooShort::toString);
        } finally {
            Shell.quietly("rm", "-rf", work.toString());
        }
    }

    private static StowageProcess.Run run(Map<String, String> env, PrivateDaemon daemon, Path dir, String... options) {
        List<String> command = new ArrayList<>(List.of(StowageProcess.launcher().toAbsolutePath().toString(),
                "storage", "export", "--host", daemon.host(), "--dir", dir.toString()));
        command.addAll(List.of(options));
        Shell.Result result = Shell.run(env, command, null, 300);
        return new StowageProcess.Run(result.exitCode(), result.stdout(), result.stderr());
    }
}
