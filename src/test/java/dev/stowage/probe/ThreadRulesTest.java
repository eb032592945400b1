package dev.stowage.probe;

import static dev.stowage.probe.Fixtures.thread;
import static dev.stowage.probe.Fixtures.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadRulesTest {

    @Test
    void aThreadThatNeverRanIsStuck() {
        List<Snapshot> window = List.of(
                threads(0.0, thread(100, "dd", 57, "7:1")),
                threads(1.5, thread(100, "dd", 57, "7:1")),
                threads(3.0, thread(100, "dd", 57, "7:1")));
        List<Finding> findings = ThreadRules.assess(Fixtures.loop1(), window);
        assertEquals(1, findings.size());
        assertEquals(Verdict.STALLED, findings.get(0).level());
        assertTrue(findings.get(0).message().contains("dd (pid 100) in iomap_dio_rw"), findings.get(0).message());
    }

    @Test
    void aThreadWhoseSwitchesMoveIsBusyNotStuck() {
        List<Snapshot> window = List.of(
                threads(0.0, thread(100, "dd", 57, "7:1")),
                threads(1.5, thread(100, "dd", 60, "7:1")),
                threads(3.0, thread(100, "dd", 64, "7:1")));
        List<Finding> findings = ThreadRules.assess(Fixtures.loop1(), window);
        assertEquals(1, findings.size());
        assertEquals(Verdict.HEALTHY, findings.get(0).level());
        assertTrue(findings.get(0).message().contains("moving, not stuck"));
    }

    @Test
    void aThreadThatWokeInBetweenIsNotStuck() {
        List<Snapshot> window = List.of(
                threads(0.0, thread(100, "dd", 57, "7:1")),
                threads(1.5),
                threads(3.0, thread(100, "dd", 57, "7:1")));
        assertTrue(ThreadRules.stuck(window).isEmpty());
    }

    @Test
    void aWindowShorterThanTheThresholdNeverCallsAThreadStuck() {
        List<Snapshot> window = List.of(threads(0.0, thread(100, "dd", 57, "7:1")),
                threads(1.0, thread(100, "dd", 57, "7:1")));
        assertTrue(ThreadRules.stuck(window).isEmpty());
    }

    @Test
    void kernelThreadsAreTiedToTheirDeviceByName() {
        BlockDevice vda1 = new BlockDevice("vda", "254:0", "vda1", "254:1");
        assertTrue(thread(1, "jbd2/loop1-8", 0).concerns("7:1", Fixtures.LOOP1));
        assertTrue(thread(2, "kworker/u8:0+loop1", 0).concerns("7:1", Fixtures.LOOP1));
        assertTrue(thread(3, "kworker/u4:2+flush-7:1", 0).concerns("7:1", Fixtures.LOOP1));
        assertTrue(thread(4, "xfsaild/vda1", 0).concerns("254:1", vda1));
        assertFalse(thread(5, "jbd2/loop10-8", 0).concerns("7:1", Fixtures.LOOP1));
        assertFalse(thread(6, "jbd2/vda2-8", 0).concerns("254:1", vda1));
        assertFalse(thread(7, "dd", 0, "254:0").concerns("7:1", Fixtures.LOOP1));
        assertTrue(thread(8, "dd", 0, "7:1").concerns("7:1", null));
    }

    @Test
    void stuckThreadsElsewhereAreANoteOnly() {
        List<Snapshot> window = List.of(
                threads(0.0, thread(100, "dd", 57, "254:0"), thread(101, "jbd2/loop1-8", 9)),
                threads(3.0, thread(100, "dd", 57, "254:0"), thread(101, "jbd2/loop1-8", 9)));
        Finding note = ThreadRules.elsewhere(List.of(Fixtures.loop1()), window).orElseThrow();
        assertEquals(Verdict.HEALTHY, note.level());
        assertTrue(note.message().startsWith("1 thread elsewhere"), note.message());
        assertEquals(Verdict.STALLED, ThreadRules.assess(Fixtures.loop1(), window).get(0).level(),
                "the jbd2 thread of loop1 is loop1's business");
    }
}
