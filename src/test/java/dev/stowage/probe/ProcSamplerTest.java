package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The thread scan on a made-up /proc: which threads it finds blocked, and what it says of them. */
class ProcSamplerTest {
    @TempDir
    Path proc;

    @Test
    void findsOnlyTheThreadsInUninterruptibleSleep() throws IOException {
        task(1, 1, "1 (init) S 0 1 1 0 -1 4194560 0 0");
        task(200, 200, "200 (java) S 1 200 200 0 -1 4194560 0 0");
        task(200, 201, "201 (a) b (c) D 1 200 200 0 -1 4194560 0 0"); // a name with parentheses
        task(200, 202, "202 (R) R 1 200 200 0 -1 4194560 0 0");
        task(300, 300, "300 (kworker/u8:0+loop1) D 2 0 0 0 -1 70811744");
        Files.writeString(proc.resolve("200/task/201/wchan"), "folio_wait_bit_common");
        Files.writeString(proc.resolve("200/task/201/status"),
                "Name:\tx\nvoluntary_ctxt_switches:\t5\nnonvoluntary_ctxt_switches:\t2\n");
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("not-a-pid/task/1"));

        Map<Integer, BlockedThread> blocked = new ProcSampler(proc, MountTable.parse("")).take().blocked();

        assertEquals(java.util.Set.of(201, 300), blocked.keySet());
        BlockedThread odd = blocked.get(201);
        assertEquals(200, odd.pid());
        assertEquals("a) b (c", odd.comm());
        assertEquals("folio_wait_bit_common", odd.wchan());
        assertEquals(7, odd.switches());
        assertEquals("?", blocked.get(300).wchan());
    }

    @Test
    void readsTheStateByteAndDecodesOnlyALineThatSaysD() throws IOException {
        byte[] buffer = new byte[64];
        assertEquals("9 (x) y) D 1 2 3", ProcSampler.blockedStat(file("9 (x) y) D 1 2 3"), buffer));
        assertNull(ProcSampler.blockedStat(file("9 (x (D) S 1 2 3"), buffer));
        assertNull(ProcSampler.blockedStat(file("9 (x)"), buffer), "a cut line is not blocked");
        assertNull(ProcSampler.blockedStat(file(""), buffer));
        assertNull(ProcSampler.blockedStat(proc.resolve("gone").toString(), buffer), "a thread that exited");
        // a line too long for the buffer is read whole and handed on to the full parse, which decides
        String longLine = "9 (x) S " + "1 ".repeat(40);
        assertEquals(longLine, ProcSampler.blockedStat(file(longLine), buffer));
    }

    private void task(int pid, int tid, String stat) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(pid + "/task/" + tid));
        Files.writeString(dir.resolve("stat"), stat + "\n", StandardCharsets.US_ASCII);
    }

    private String file(String content) throws IOException {
        Path file = Files.createTempFile(proc, "stat", "");
        Files.writeString(file, content);
        return file.toString();
    }
}
