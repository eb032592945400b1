package dev.stowage.probe;

import static dev.stowage.probe.ProbeThrottleIT.findings;
import static dev.stowage.probe.ProbeThrottleIT.measure;
import static dev.stowage.probe.ProbeThrottleIT.probe;
import static dev.stowage.probe.ProbeThrottleIT.workDir;
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
import org.junit.jupiter.api.Test;

/** The passive signals on real filesystems: mount flags, error counters, space, and a device's queue. */
class ProbeFilesystemIT {

    @Test
    void aReadOnlyMountIsStalledWithoutWritingToIt() throws Exception {
        try (LoopDisk disk = LoopDisk.ext4(workDir("ro"), 64)) {
            Shell.run("mount", "-o", "remount,ro", disk.mountPoint().toString());
            StowageProcess.Run result = probe(Map.of(), disk.mountPoint().toString());
            assertEquals(11, result.exitCode(), result.toString());
            JsonNode f = signal(result, "mount");
            assertEquals("stalled", f.path("level").asText());
            assertTrue(f.path("message").asText().contains("read-only"), f.toString());
            assertTrue(result.summary().path("targets").get(0).path("active").isMissingNode(),
                    "no active probe on a read-only filesystem: " + result);
        }
    }

    @Test
    void errorsTheFilesystemRecordedMakeItDegraded() throws Exception {
        try (LoopDisk disk = LoopDisk.ext4(workDir("errors"), 64)) {
            // ext4's own test hook records an error in the superblock, as a real one would
            Files.writeString(Path.of("/sys/fs/ext4", disk.name(), "trigger_fs_error"), "1");
            StowageProcess.Run result = probe(Map.of(), disk.mountPoint().toString());
            assertEquals(10, result.exitCode(), result.toString());
            JsonNode f = signal(result, "fs_errors");
            assertEquals("degraded", f.path("level").asText());
            assertTrue(f.path("message").asText().contains("1 error"), f.toString());
            assertEquals(1, result.summary().path("targets").get(0).path("fs_errors").asInt());
        }
    }

    @Test
    void aNearlyFullFilesystemIsReported() throws Exception {
        try (LoopDisk disk = LoopDisk.ext4(workDir("full"), 64)) {
            Path filler = disk.mountPoint().resolve("filler");
            Shell.Result dd = Shell.run(Map.of(), List.of("dd", "if=/dev/zero", "of=" + filler, "bs=1M"), null, 60);
            assertTrue(dd.stderr().contains("No space left"), dd.stderr());
            StowageProcess.Run result = probe(Map.of(), disk.mountPoint().toString());
            assertEquals(11, result.exitCode(), result.toString());
            assertEquals("stalled", signal(result, "space").path("level").asText());
        }
    }

    /**
     * A loop device on a file of another loop device, the lower one throttled: the upper one's
     * queue fills while completions stay flat, which is what a cloud volume out of burst credits
     * shows the guest. No IO of the probe's is throttled here; the passive signals must see it.
     */
    @Test
    void aDeviceHeldAtARateCapIsSeenInItsDiskstats() throws Exception {
        try (LoopDisk lower = LoopDisk.ext4(workDir("lower"), 256);
                LoopDisk upper = LoopDisk.ext4(lower.mountPoint().resolve("upper"), 128, "--direct-io=on");
                BlkioCgroup cgroup = BlkioCgroup.create("capped").writeIops(lower.deviceId(), 50)) {
            List<Process> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                writers.add(cgroup.start("dd", "if=/dev/zero", "of=" + upper.mountPoint().resolve("w" + i), "bs=4k",
                        "count=100000", "oflag=direct"));
            }
            Thread.sleep(1000);
            StowageProcess.Run result = probe(Map.of(), upper.mountPoint().toString());
            measure("nested loop, lower at 50 IOPS", result.summary());
            assertTrue(writers.stream().allMatch(Process::isAlive), "the writers kept the queue full");
            assertTrue(result.exitCode() == 10 || result.exitCode() == 11, result.toString());
            JsonNode f = signal(result, "diskstats");
            assertEquals("degraded", f.path("level").asText(), f.toString());
            assertTrue(f.path("message").asText().contains("rate-capped"), f.toString());
            JsonNode d = result.summary().path("targets").get(0).path("diskstats");
            System.out.println("PROBE-MEASURE nested diskstats " + d);
            assertTrue(d.path("await_ms").asDouble() >= 50, d.toString());
        }
    }

    @Test
    void withoutPathsItProbesTheDataRootAndTheMigrationDirEvenWithoutADaemon() throws Exception {
        Path dir = workDir("defaults");
        try {
            StowageProcess.Run result = probe(Map.of(), "--host", "unix://" + dir.resolve("no.sock"),
                    "--dir", dir.resolve("migrate").toString(), "--duration", "4s");
            assertTrue(result.exitCode() == 0 || result.exitCode() == 10, "the host's disk may be busy: " + result);
            JsonNode notice = result.jsonLines().stream().filter(n -> n.path("event").asText().equals("notice"))
                    .findFirst().orElseThrow(() -> new AssertionError("no notice: " + result));
            assertTrue(notice.path("message").asText().contains("/var/lib/docker"), notice.toString());
            List<String> paths = new ArrayList<>();
            result.summary().path("targets").forEach(t -> t.path("paths").forEach(p -> paths.add(p.asText())));
            assertTrue(paths.contains("/var/lib/docker"), paths.toString());
            assertTrue(paths.contains(dir.resolve("migrate").toString()), paths.toString());
            assertTrue(Files.notExists(dir.resolve("migrate")), "probing does not create the migration dir");
        } finally {
            Shell.quietly("rm", "-rf", dir.toString());
        }
    }

    @Test
    void aDurationTooShortToJudgeIsAUsageError() {
        StowageProcess.Run result = probe(Map.of(), "--duration", "500ms", "/");
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.error().path("hint").asText().contains("at least 2s"), result.toString());
    }

    private static JsonNode signal(StowageProcess.Run result, String signal) {
        return findings(result.summary()).stream().filter(f -> f.path("signal").asText().equals(signal)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + signal + " finding: " + result));
    }
}
