package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Undoes everything a {@link ControlledDaemon} and its test made under its directory, for its own
 * close and for the directories of test JVMs that died: processes first (they hold mounts), then
 * mounts, loop devices, bridges, and the directory itself.
 */
final class DaemonLeftovers {
    private DaemonLeftovers() {
    }

    /** Kills what runs from {@code dir}, undoes its mounts, loop devices and bridges, deletes it. */
    static void remove(Path dir, String bridge) {
        killProcesses(dir);
        Mounts.unmountUnder(dir);
        LoopFilesystem.detachUnder(dir);
        Path netBridges = dir.resolve("net-bridges");
        if (Files.exists(netBridges)) {
            try {
                for (String name : new LinkedHashSet<>(Files.readAllLines(netBridges))) {
                    // only names dockerd gives its own bridges: never anything a stray line might name
                    if (name.trim().matches("br-[0-9a-f]{12}")) {
                        Shell.quietly("ip", "link", "del", name.trim());
                    }
                }
            } catch (IOException ignored) {
                // best effort: the directory goes anyway
            }
        }
        PrivateDaemon.cleanup(dir, bridge);
    }

    /** The dockerd, containerd and shims whose command line names {@code dir}: TERM, then KILL. */
    private static void killProcesses(Path dir) {
        List<ProcessHandle> procs = processesOf(dir);
        procs.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (procs.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            sleep(100);
        }
        procs.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** The processes whose command line names {@code dir}: a daemon's dockerd, containerd and shims. */
    static List<ProcessHandle> processesOf(Path dir) {
        String needle = dir + "/";
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.forEach(p -> {
                try {
                    byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
                    if (new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').contains(needle)) {
                        found.add(p);
                    }
                } catch (IOException gone) {
                    // exited while we looked
                }
            });
        }
        return found;
    }

    /**
     * Removes the directories under /tmp named {@code prefix*} that no live JVM owns: whose owner
     * lock can be taken. {@code ours} tells this JVM's own (a lock it holds cannot be tested here).
     */
    static void reapStale(String prefix, Predicate<Path> ours) {
        try (Stream<Path> dirs = Files.list(Path.of("/tmp"))) {
            for (Path dir : dirs.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                if (ours.test(dir)) {
                    continue;
                }
                try (FileChannel channel = FileChannel.open(dir.resolve("owner.lock"), StandardOpenOption.WRITE);
                        FileLock lock = channel.tryLock()) {
                    if (lock == null) {
                        continue; // a live test JVM owns it
                    }
                    String bridge = Files.exists(dir.resolve("bridge")) ? Files.readString(dir.resolve("bridge")) : null;
                    remove(dir, bridge);
                } catch (OverlappingFileLockException | IOException e) {
                    // half made or half removed: a later run looks again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
