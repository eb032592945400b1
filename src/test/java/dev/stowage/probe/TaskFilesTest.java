package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskFilesTest {

    @Test
    void parsesARecordedStatLine() {
        TaskFiles.TaskState s = TaskFiles.parseStat(Recorded.text("stat.txt")).orElseThrow();
        assertEquals("cat", s.comm());
        assertEquals('R', s.state());
        assertTrue(s.tid() > 0);
    }

    @Test
    void findsTheStateAfterTheLastParenthesisOfAnOddName() {
        TaskFiles.TaskState s = TaskFiles.parseStat("4242 (a) b (c) D 1 4242 4242 0 -1 4194560 0 0").orElseThrow();
        assertEquals(4242, s.tid());
        assertEquals("a) b (c", s.comm());
        assertEquals('D', s.state());
        TaskFiles.TaskState k = TaskFiles.parseStat("7025 (kworker/u8:0+loop1) D 2 0 0 0 -1 70811744").orElseThrow();
        assertEquals("kworker/u8:0+loop1", k.comm());
        assertTrue(TaskFiles.parseStat("garbage").isEmpty());
        assertTrue(TaskFiles.parseStat("12 (truncated)").isEmpty());
    }

    @Test
    void addsVoluntaryAndInvoluntaryContextSwitches() {
        String status = Recorded.text("status.txt");
        long voluntary = Long.parseLong(status.replaceAll("(?s).*\nvoluntary_ctxt_switches:\\s*(\\d+).*", "$1"));
        long involuntary = Long.parseLong(status.replaceAll("(?s).*\nnonvoluntary_ctxt_switches:\\s*(\\d+).*", "$1"));
        assertEquals(voluntary + involuntary, TaskFiles.contextSwitches(status));
        assertEquals(-1, TaskFiles.contextSwitches("Name:\tx\n"));
    }

    @Test
    void aHiddenWchanReadsAsUnknown() {
        assertEquals("?", TaskFiles.wchan("0"));
        assertEquals("io_schedule", TaskFiles.wchan("io_schedule"));
    }
}
