package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's passive window, sampled from this host's /proc while a command starts up. */
class EarlySamplesTest {

    @Test
    void takeHandsOverSnapshotsSpanningTheWindowOnce() throws Exception {
        EarlySamples early = EarlySamples.start();
        List<Snapshot> window = early.take(Duration.ofMillis(300)).orElseThrow();
        assertTrue(window.size() >= 2, window.size() + " snapshots");
        long span = window.get(window.size() - 1).nanos() - window.get(0).nanos();
        assertTrue(span >= Duration.ofMillis(300).toNanos(), "spans " + span / 1_000_000 + " ms");
        assertTrue(window.get(0).disks().size() > 0, "diskstats was read");
        assertEquals(Optional.empty(), early.take(Duration.ofMillis(300)), "handed over once; a later gate samples afresh");
    }

    @Test
    void keepsOnlyTheLatestSnapshots() throws Exception {
        EarlySamples early = EarlySamples.start();
        Thread.sleep(EarlySamples.INTERVAL.toMillis() * (EarlySamples.KEPT + 8));
        List<Snapshot> window = early.take(Duration.ofMillis(300)).orElseThrow();
        assertEquals(EarlySamples.KEPT, window.size());
    }

    @Test
    void aWindowLongerThanWhatIsKeptIsLeftToTheGatesOwnSampling() throws Exception {
        EarlySamples early = EarlySamples.start();
        assertEquals(Optional.empty(), early.take(EarlySamples.INTERVAL.multipliedBy(EarlySamples.KEPT)));
    }

    @Test
    void samplesTooOldForTheStartOfARunAreNotUsed() throws Exception {
        EarlySamples early = EarlySamples.start(Path.of("/proc"), Duration.ofMillis(300));
        Thread.sleep(700);
        assertEquals(Optional.empty(), early.take(Duration.ofMillis(200)));
    }

    @Test
    void anUnreadableProcGivesNothingInsteadOfFailing(@TempDir Path empty) throws Exception {
        EarlySamples early = EarlySamples.start(empty, EarlySamples.FRESH_FOR);
        assertEquals(Optional.empty(), early.take(Duration.ofMillis(200)));
    }
}
