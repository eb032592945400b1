package dev.stowage.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // a held lock is the point of those try blocks
class RunLockTest {
    @TempDir
    Path dir;

    @Test
    void recordsTheHolderInAPrivateFile() throws IOException {
        try (RunLock lock = RunLock.acquire(dir, "storage export")) {
            Path file = dir.resolve(RunLock.FILE);
            assertEquals("pid " + ProcessHandle.current().pid() + " storage export\n", Files.readString(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void secondRunIsRefusedWithExitCodeSeven() {
        try (RunLock lock = RunLock.acquire(dir, "storage export")) {
            StowageException e = assertThrows(StowageException.class, () -> RunLock.acquire(dir, "storage import"));
            assertEquals(ExitCode.LOCKED, e.exitCode());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            assertTrue(e.hint() != null && !e.hint().isBlank());
        }
    }

    @Test
    void closingReleasesTheLock() {
        RunLock.acquire(dir, "storage export").close();
        RunLock.acquire(dir, "storage import").close();
    }

    @Test
    void anotherProcessIsRefusedAndToldWhoHoldsTheLock() throws Exception {
        try (RunLock lock = RunLock.acquire(dir, "storage export")) {
            Contender other = contend();
            assertEquals(7, other.code, other.output);
            assertTrue(other.output.contains("pid " + ProcessHandle.current().pid() + " storage export"), other.output);
        }
        assertEquals(0, contend().code, "released on close, so the next run gets it");
    }

    @Test
    void refusingASecondAttemptInTheSameProcessKeepsTheLockHeld() throws Exception {
        try (RunLock lock = RunLock.acquire(dir, "storage export")) {
            assertThrows(StowageException.class, () -> RunLock.acquire(dir, "storage import"));

            // POSIX drops all of a process's locks on a file when any descriptor of it closes.
            Contender other = contend();
            assertEquals(7, other.code, "the refused attempt released the real lock: " + other.output);
        }
    }

    @Test
    void holderNamesNobodyWhenFreeAndLeavesAHeldLockHeld() throws Exception {
        assertEquals(java.util.Optional.empty(), RunLock.holder(dir), "no lock file yet");
        RunLock.acquire(dir, "storage export").close();
        assertEquals(java.util.Optional.empty(), RunLock.holder(dir), "a released lock has no holder");
        try (RunLock lock = RunLock.acquire(dir, "storage migrate")) {
            assertEquals(java.util.Optional.of("this process"), RunLock.holder(dir));
            Contender other = contend();
            assertEquals(7, other.code, "asking who holds it did not release it: " + other.output);
        }
    }

    private Contender contend() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockContender.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Contender(process.waitFor(), output);
    }

    private record Contender(int code, String output) {
    }
}
