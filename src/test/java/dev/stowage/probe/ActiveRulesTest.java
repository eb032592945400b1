package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActiveRulesTest {
    /** Write latencies (µs) of 32 probe writes on an unthrottled loop device of this host, one hiccup included. */
    private static final List<Long> HEALTHY = List.of(1200L, 2100L, 3000L, 400L, 1100L, 238000L, 2000L, 300L, 350L,
            900L, 1300L, 2200L, 1000L, 3100L, 800L, 1200L, 3300L, 200L, 250L, 260L, 300L, 310L, 280L, 290L, 270L,
            330L, 340L, 410L, 290L, 300L, 1200L, 330L);
    /** The same device throttled to 50 write IOPS: requests wait in bursts for the next 100 ms slot. */
    private static final List<Long> CAPPED_50 = List.of(5890L, 452L, 91600L, 970L, 99200L, 1590L, 101900L, 625L,
            95300L, 2810L, 2130L, 97000L, 396L, 97800L, 2750L, 96800L, 685L, 337L, 99200L, 667L, 99600L, 418L,
            99200L, 1890L, 97800L, 614L, 465L, 99200L, 732L, 101300L);

    @Test
    void percentilesByNearestRank() {
        List<Long> values = new ArrayList<>();
        for (long i = 1; i <= 20; i++) {
            values.add(i * 1000);
        }
        Collections.shuffle(values);
        LatencyStats s = LatencyStats.of(values);
        assertEquals(20, s.count());
        assertEquals(10_000, s.p50Micros());
        assertEquals(19_000, s.p95Micros());
        assertEquals(20_000, s.maxMicros());
        assertEquals(210_000, s.totalMicros());
        assertEquals(0, s.slow());
        assertEquals(LatencyStats.NONE, LatencyStats.of(List.of()));
    }

    @Test
    void oneHiccupOnAHealthyDiskIsNoAlarm() {
        assertEquals(List.of(), ActiveRules.assess(Fixtures.loop1(), result(HEALTHY)));
    }

    @Test
    void aClusterOfSlotWaitsIsDegraded() {
        List<Finding> findings = ActiveRules.assess(Fixtures.loop1(), result(CAPPED_50));
        assertEquals(1, findings.size(), findings.toString());
        assertEquals(Verdict.DEGRADED, findings.get(0).level());
        assertTrue(findings.get(0).message().contains("rate-capped"), findings.get(0).message());
        assertTrue(findings.get(0).remedy().contains("burst credits"));
    }

    @Test
    void hundredsOfMillisecondsPerWriteIsStalled() {
        List<Finding> findings = ActiveRules.assess(Fixtures.loop1(), result(List.of(413000L, 420000L, 418000L,
                428000L)));
        assertEquals(Verdict.STALLED, findings.get(0).level());
    }

    @Test
    void aWriteTheWatchdogGaveUpOnIsStalled() {
        ActiveResult r = new ActiveResult("direct+dsync", LatencyStats.of(List.of(900L)), LatencyStats.NONE,
                Optional.of(new ActiveResult.Pending("write", 4_200_000)), Optional.empty(), 5.0);
        Finding f = ActiveRules.assess(Fixtures.loop1(), r).get(0);
        assertEquals(Verdict.STALLED, f.level());
        assertTrue(f.message().contains("had not completed after 4.2 s (1 writes done"), f.message());
    }

    @Test
    void aChildThatNeverStartedMeasuredNothing() {
        ActiveResult r = new ActiveResult("direct+dsync", LatencyStats.NONE, LatencyStats.NONE,
                Optional.of(new ActiveResult.Pending("start", 3_000_000)), Optional.empty(), 3.0);
        assertEquals(Verdict.DEGRADED, ActiveRules.assess(Fixtures.loop1(), r).get(0).level());
    }

    @Test
    void anIoErrorIsStalledButAPermissionProblemIsOnlyANote() {
        assertEquals(Verdict.STALLED, ActiveRules.assess(Fixtures.loop1(), error("IOException: Input/output error"))
                .get(0).level());
        assertEquals(Verdict.HEALTHY, ActiveRules.assess(Fixtures.loop1(),
                error("AccessDeniedException: /mnt/inner/.stowage-probe-1.tmp")).get(0).level());
    }

    private static ActiveResult result(List<Long> writes) {
        return new ActiveResult("direct+dsync", LatencyStats.of(writes), LatencyStats.NONE, Optional.empty(),
                Optional.empty(), 1.0);
    }

    private static ActiveResult error(String text) {
        return new ActiveResult("direct+dsync", LatencyStats.NONE, LatencyStats.NONE, Optional.empty(),
                Optional.of(text), 1.0);
    }
}
