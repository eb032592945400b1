package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeSettingsTest {
    @Test
    void theProbeCommandWatchesThreeTenthsOfItsBudgetAndProbesInFull() {
        ProbeSettings settings = ProbeSettings.of(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(3), settings.passiveWindow());
        assertEquals(32, settings.writes());
        assertEquals(16, settings.reads());
        assertEquals(Duration.ofMillis(600), ProbeSettings.of(Duration.ofSeconds(2)).passiveWindow());
        assertEquals(Duration.ofSeconds(3), ProbeSettings.of(Duration.ofMinutes(1)).passiveWindow());
    }

    @Test
    void theGateKeepsBudgetAndCgroupWithTheShortestWindowAndHalfTheIo() {
        Path cgroup = Path.of("/sys/fs/cgroup/blkio/test");
        ProbeSettings gate = ProbeSettings.of(Duration.ofSeconds(3)).withChildCgroup(Optional.of(cgroup)).forGate();
        assertEquals(Duration.ofSeconds(3), gate.budget());
        assertEquals(Optional.of(cgroup), gate.childCgroup());
        assertEquals(ProbeSettings.MIN_WINDOW, gate.passiveWindow());
        assertEquals(16, gate.writes());
        assertEquals(8, gate.reads());
        // the slow-share rule still has three times the samples it needs
        assertTrue(gate.writes() >= 3 * ActiveRules.MIN_SAMPLES_FOR_SHARE);
    }

    @Test
    void aBudgetUnderTwoSecondsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProbeSettings.of(Duration.ofMillis(1500)));
    }
}
