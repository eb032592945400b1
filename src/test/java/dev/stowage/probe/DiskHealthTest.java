package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The passive API on this host's own /proc: shape and timing, not a verdict on a shared machine. */
class DiskHealthTest {

    @Test
    void aPassiveSampleResolvesPathsAndStaysWithinItsWindow(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        HealthReport report = DiskHealth.sample(List.of(dir, dir.resolve("not/yet/made")), Duration.ofMillis(600));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 3, "took " + seconds + " s");
        assertEquals(1, report.targets().size(), "both paths are on one filesystem");
        TargetReport target = report.targets().get(0);
        assertEquals(List.of(dir, dir.resolve("not/yet/made")), target.target().paths());
        assertEquals(dir.toRealPath(), target.target().probeDir());
        assertTrue(target.space().isPresent(), "statvfs works through JNA");
        assertTrue(target.space().get().totalBytes() > 0);
        assertTrue(target.active().isEmpty(), "passive means no IO");
        assertFalse(HealthSummary.lines(report).isEmpty());
    }

    @Test
    void aWatcherJudgesEachNewSampleAgainstItsWindow(@TempDir Path dir) throws Exception {
        PassiveWatch watch = DiskHealth.watch(List.of(dir), Duration.ofSeconds(5));
        HealthReport first = watch.sample();
        Thread.sleep(200);
        HealthReport second = watch.sample();
        assertEquals(1, first.targets().size());
        assertTrue(first.targets().get(0).activity().isEmpty(), "one snapshot has no rate yet");
        assertTrue(second.targets().get(0).target().device().isEmpty()
                || second.targets().get(0).activity().isPresent(), "two snapshots give the device's rates");
    }

    @Test
    void aFullCheckRunsTheIoChildFromThisClasspathAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        HealthReport report = DiskHealth.check(List.of(dir), Duration.ofSeconds(3));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 3.5, "took " + seconds + " s");
        ActiveResult active = report.targets().get(0).active().orElseThrow(() -> new AssertionError(report));
        assertTrue(active.error().isEmpty(), active.toString());
        assertTrue(active.writes().count() > 0, active.toString());
        assertEquals("direct+dsync", active.mode());
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(0, files.count(), "the temp file is gone");
        }
    }

    @Test
    void aCheckTakesItsPassiveWindowFromEarlySamplesAndProbesEachFilesystem(@TempDir Path dir) throws Exception {
        Path shm = java.nio.file.Files.createTempDirectory(Path.of("/dev/shm"), "stowage-health-");
        try {
            EarlySamples early = EarlySamples.start();
            HealthReport report = DiskHealth.check(List.of(dir, shm),
                    ProbeSettings.of(Duration.ofSeconds(3)).forGate(), java.util.Optional.of(early));
            assertEquals(java.util.Optional.empty(), early.take(Duration.ofMillis(100)), "the check took them");
            assertEquals(2, report.targets().size(), report.toString());
            for (TargetReport target : report.targets()) {
                ActiveResult active = target.active().orElseThrow(() -> new AssertionError(report));
                assertTrue(active.error().isEmpty(), active.toString());
                assertTrue(active.writes().count() > 0, active.toString());
            }
        } finally {
            java.nio.file.Files.delete(shm); // empty: each probe removed its own file
        }
    }

    @Test
    void probeProcessesStartedBeforeTheirDirectoryWasKnownProbeItAndTheUnusedOnesEnd(@TempDir Path dir)
            throws Exception {
        ProbeProcesses.prestart(2);

        HealthReport report = DiskHealth.check(List.of(dir), Duration.ofSeconds(3));

        ActiveResult active = report.targets().get(0).active().orElseThrow(() -> new AssertionError(report));
        assertTrue(active.error().isEmpty(), active.toString());
        assertTrue(active.writes().count() > 0, active.toString());
        assertTrue(ProbeProcesses.take().isEmpty(), "the check took one and ended the other");
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(0, files.count(), "the temp file is gone");
        }
    }

    @Test
    void aProbeProcessWhoseParentNeverGivesOrdersExits() throws Exception {
        Process child = ActiveProbe.start();
        child.getOutputStream().close(); // as when stowage exits before its gate

        assertTrue(child.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "the probe process waited on");
        assertEquals(0, child.exitValue());
    }

    @Test
    void fieldsUseSnakeCaseAndCarryTheVerdict(@TempDir Path dir) {
        HealthReport report = DiskHealth.sample(List.of(dir), Duration.ofMillis(300));
        var fields = HealthSummary.fields(report);
        assertEquals(report.verdict().word(), fields.get("verdict"));
        assertEquals(report.verdict().exitCode().code(), fields.get("exit_code"));
        assertTrue(fields.keySet().stream().allMatch(k -> k.matches("[a-z_]+")), fields.keySet().toString());
    }
}
