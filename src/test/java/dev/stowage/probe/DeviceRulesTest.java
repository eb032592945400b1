package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Recorded on a nested loop device: loop1 (direct IO) on a file of loop0, loop0 throttled by a
 * blkio cgroup. loop1 then looks like a cloud volume: requests sit in its queue while the layer
 * below holds them back.
 */
class DeviceRulesTest {

    @Test
    void flatCompletionsWithAFullQueueAreRateCapped() {
        List<Finding> findings = DeviceRules.assess("/mnt/inner", "loop1", Recorded.series("diskstats-capped.txt"));
        assertEquals(1, findings.size(), findings.toString());
        Finding f = findings.get(0);
        assertEquals(Verdict.DEGRADED, f.level());
        assertEquals("diskstats", f.signal());
        assertTrue(f.message().contains("rate-capped"), f.message());
        assertTrue(f.remedy().contains("burst credits"), f.remedy());
    }

    @Test
    void requestsInFlightThatNeverCompleteAreStalled() {
        List<Snapshot> series = Recorded.series("diskstats-stuck.txt");
        assertTrue(DeviceRules.longestStuck("loop1", series) >= 3.0);
        List<Finding> findings = DeviceRules.assess("/mnt/inner", "loop1", series);
        assertEquals(1, findings.size(), findings.toString());
        assertEquals(Verdict.STALLED, findings.get(0).level());
        assertTrue(findings.get(0).message().contains("none completing"), findings.get(0).message());
    }

    @Test
    void aBusyButHealthyDeviceRaisesNothing() {
        // vda carried the host's ordinary build traffic while these were recorded
        assertEquals(List.of(), DeviceRules.assess("/", "vda", Recorded.series("diskstats-capped.txt")));
        assertEquals(List.of(), DeviceRules.assess("/", "vda", Recorded.series("diskstats-stuck.txt")));
        // loop0, the layer doing the throttling, completes what it is given
        assertEquals(List.of(), DeviceRules.assess("/", "loop0", Recorded.series("diskstats-capped.txt")));
    }

    @Test
    void aShortStuckSpellIsNotAStall() {
        List<Snapshot> series = Recorded.series("diskstats-stuck.txt").subList(0, 3);
        assertTrue(DeviceRules.longestStuck("loop1", series) < DeviceRules.STUCK_SECONDS);
        assertTrue(DeviceRules.assess("/mnt/inner", "loop1", series).stream()
                .noneMatch(f -> f.level() == Verdict.STALLED));
    }

    @Test
    void anUnknownDeviceGivesNoFindings() {
        assertEquals(List.of(), DeviceRules.assess("/x", "nvme9n1", Recorded.series("diskstats-stuck.txt")));
    }
}
