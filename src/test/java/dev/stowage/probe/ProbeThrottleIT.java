package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The probe against real loop-device filesystems, slowed down for real with a cgroup-v1 blkio
 * throttle on the probe's own IO process. Runs through the packaged launcher.
 */
class ProbeThrottleIT {
    private static final Set<Integer> SICK = Set.of(10, 11);

    @Test
    void anUnthrottledFilesystemIsHealthyEveryRun() throws Exception {
        try (LoopDisk disk = LoopDisk.ext4(workDir("healthy"), 128)) {
            for (int run = 1; run <= 5; run++) {
                StowageProcess.Run result = probe(Map.of(), disk.mountPoint().toString());
                JsonNode summary = result.summary();
                measure("unthrottled run " + run, summary);
                assertEquals(0, result.exitCode(), result.toString());
                assertEquals("healthy", summary.path("verdict").asText());
                JsonNode target = summary.path("targets").get(0);
                assertEquals(disk.name(), target.path("device").asText());
                assertEquals(disk.mountPoint().toString(), target.path("mount_point").asText());
                assertTrue(target.path("active").path("writes").path("count").asInt() >= 16, result.toString());
                assertTrue(target.path("active").path("reads").path("count").asInt() >= 8, result.toString());
                assertEquals("direct+dsync", target.path("active").path("mode").asText());
            }
        }
    }

    @Test
    void fiftyWriteIopsIsDegradedOrStalledEveryRun() throws Exception {
        throttledRuns("iops50", 50);
    }

    @Test
    void fiveWriteIopsIsDegradedOrStalledEveryRun() throws Exception {
        throttledRuns("iops5", 5);
    }

    private void throttledRuns(String name, int iops) throws Exception {
        try (LoopDisk disk = LoopDisk.ext4(workDir(name), 128);
                BlkioCgroup cgroup = BlkioCgroup.create(name).writeIops(disk.deviceId(), iops)) {
            for (int run = 1; run <= 3; run++) {
                StowageProcess.Run result = probe(Map.of("STOWAGE_PROBE_CGROUP", cgroup.dir().toString()),
                        disk.mountPoint().toString());
                JsonNode summary = result.summary();
                measure(iops + " write IOPS run " + run, summary);
                assertTrue(SICK.contains(result.exitCode()), result.toString());
                assertTrue(findings(summary).stream().anyMatch(f -> f.path("signal").asText().equals("active_write")
                        && !f.path("level").asText().equals("healthy")), result.toString());
                assertTrue(result.stdout().contains("burst credits"), "a remedy is given: " + result);
            }
        }
    }

    @Test
    void aWriteBlockedFarBeyondTheBudgetDoesNotHangTheTool() throws Exception {
        try (LoopDisk disk = LoopDisk.ext4(workDir("blocked"), 128);
                BlkioCgroup cgroup = BlkioCgroup.create("blocked").writeBytesPerSecond(disk.deviceId(), 256)) {
            // At 256 B/s one 4 KiB write takes 16 s; the budget is 2 s.
            long start = System.nanoTime();
            StowageProcess.Run result = probe(Map.of("STOWAGE_PROBE_CGROUP", cgroup.dir().toString()),
                    "--duration", "2s", disk.mountPoint().toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            measure("256 B/s, --duration 2s (wall " + String.format("%.1f", seconds) + " s)", result.summary());
            assertEquals(11, result.exitCode(), result.toString());
            assertEquals("stalled", result.summary().path("verdict").asText());
            assertTrue(seconds < 2 + 4, "returned after " + seconds + " s");
            JsonNode pending = result.summary().path("targets").get(0).path("active").path("pending");
            assertEquals("write", pending.path("operation").asText(), result.toString());
            assertTrue(result.stdout().contains("had not completed after"), result.toString());
            assertTrue(!cgroup.pids().isEmpty(), "the probe's IO process is still blocked in its write, left behind");
            // Once the disk recovers, the abandoned process finishes its write, sees it was told to stop,
            // and removes its temp file on the way out.
            cgroup.writeBytesPerSecond(disk.deviceId(), 0);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!cgroup.pids().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(cgroup.pids().isEmpty(), "the probe process exits once its write returns");
            try (var files = Files.list(disk.mountPoint())) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".stowage-probe-")),
                        "the abandoned probe cleaned up after itself");
            }
        }
    }

    @Test
    void aThreadStuckInThrottledWritesIsSeenAndStopsTheActiveProbe() throws Exception {
        try (LoopDisk disk = LoopDisk.ext4(workDir("dstate"), 256);
                BlkioCgroup cgroup = BlkioCgroup.create("dstate").writeIops(disk.deviceId(), 5)) {
            // One 64 MiB direct write is split into about 50 requests: 10 s at 5 IOPS, without dd running once.
            Process dd = cgroup.start("dd", "if=/dev/zero", "of=" + disk.mountPoint().resolve("filler"), "bs=64M",
                    "count=2", "oflag=direct");
            Thread.sleep(500);
            StowageProcess.Run result = probe(Map.of(), disk.mountPoint().toString());
            measure("dd stuck at 5 IOPS", result.summary());
            assertEquals(11, result.exitCode(), result.toString());
            JsonNode blocked = findings(result.summary()).stream()
                    .filter(f -> f.path("signal").asText().equals("blocked_threads")).findFirst()
                    .orElseThrow(() -> new AssertionError("no blocked thread finding: " + result));
            assertEquals("stalled", blocked.path("level").asText());
            assertTrue(blocked.path("message").asText().contains("dd (pid " + dd.pid() + ")"), blocked.toString());
            assertTrue(result.stdout().contains("active probe skipped"), result.toString());
        }
    }

    @Test
    void aThreadThatKeepsWaitingButMovesIsSeenAsBusy() throws Exception {
        try (LoopDisk disk = LoopDisk.ext4(workDir("busy"), 128);
                BlkioCgroup cgroup = BlkioCgroup.create("busy").writeIops(disk.deviceId(), 5)) {
            Process dd = cgroup.start("dd", "if=/dev/zero", "of=" + disk.mountPoint().resolve("filler"), "bs=4k",
                    "count=1000", "oflag=direct");
            Thread.sleep(500);
            StowageProcess.Run result = probe(Map.of(), "--duration", "5s", disk.mountPoint().toString());
            measure("dd moving at 5 IOPS", result.summary());
            JsonNode busy = findings(result.summary()).stream()
                    .filter(f -> f.path("signal").asText().equals("blocked_threads")).findFirst()
                    .orElseThrow(() -> new AssertionError("no blocked thread finding: " + result));
            assertEquals("healthy", busy.path("level").asText(), "moving, so a note, not a verdict");
            assertTrue(busy.path("message").asText().contains("dd (pid " + dd.pid() + ")"), busy.toString());
        }
    }

    static StowageProcess.Run probe(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(StowageProcess.launcher().toAbsolutePath().toString(),
                "probe", "--json"));
        command.addAll(List.of(args));
        Shell.Result r = Shell.run(env, command, null, 120);
        return new StowageProcess.Run(r.exitCode(), r.stdout(), r.stderr());
    }

    static List<JsonNode> findings(JsonNode summary) {
        List<JsonNode> list = new ArrayList<>();
        summary.path("findings").forEach(list::add);
        return list;
    }

    static Path workDir(String name) throws Exception {
        return Files.createTempDirectory("stowage-probe-it-" + name + "-");
    }

    /** One line per run with the figures the report quotes. */
    static void measure(String label, JsonNode summary) {
        JsonNode target = summary.path("targets").get(0);
        JsonNode w = target.path("active").path("writes");
        JsonNode r = target.path("active").path("reads");
        System.out.printf("PROBE-MEASURE %-40s verdict=%-8s %5d ms  writes n=%s p50=%s p95=%s max=%s ms slow=%s"
                        + "  reads n=%s p50=%s p95=%s max=%s ms%n", label, summary.path("verdict").asText(),
                summary.path("duration_ms").asLong(), w.path("count").asText("-"), w.path("p50_ms").asText("-"),
                w.path("p95_ms").asText("-"), w.path("max_ms").asText("-"), w.path("slow_count").asText("-"),
                r.path("count").asText("-"),
                r.path("p50_ms").asText("-"), r.path("p95_ms").asText("-"), r.path("max_ms").asText("-"));
    }
}
