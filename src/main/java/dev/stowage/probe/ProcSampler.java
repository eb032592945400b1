package dev.stowage.probe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes {@link Snapshot}s from /proc. Reads only kernel counters and process tables, so it adds no
 * IO to the disks it watches and cannot block on them.
 */
public final class ProcSampler {
    private static final int MAX_FDS = 4096;

    private final Path proc;
    private final MountTable mounts;
    /**
     * Which filesystems a process holds files on, resolved when its first thread is seen blocked and
     * kept only while some thread of it stays blocked, so that a reused pid is looked at afresh.
     */
    private Map<Integer, Set<String>> filesystemsByPid = new HashMap<>();
    private Map<Integer, Set<String>> filesystemsSeenNow = new HashMap<>();

    public ProcSampler(Path proc, MountTable mounts) {
        this.proc = proc;
        this.mounts = mounts;
    }

    public Snapshot take() {
        long nanos = System.nanoTime();
        Optional<Pressure> pressure = read(proc.resolve("pressure/io")).flatMap(Pressure::parse);
        Map<String, DiskStat> disks = read(proc.resolve("diskstats")).map(DiskStat::parse).orElse(Map.of());
        return new Snapshot(nanos, pressure, disks, blockedThreads());
    }

    private Map<Integer, BlockedThread> blockedThreads() {
        filesystemsSeenNow = new HashMap<>();
        try {
            return scanThreads();
        } finally {
            filesystemsByPid = filesystemsSeenNow;
        }
    }

    private Map<Integer, BlockedThread> scanThreads() {
        Map<Integer, BlockedThread> blocked = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, ProcSampler::numeric)) {
            for (Path process : processes) {
                int pid = Integer.parseInt(process.getFileName().toString());
                try (DirectoryStream<Path> tasks = Files.newDirectoryStream(process.resolve("task"),
                        ProcSampler::numeric)) {
                    for (Path task : tasks) {
                        blockedThread(pid, task).ifPresent(t -> blocked.put(t.tid(), t));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process exited while we looked: it is not blocked any more
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return blocked;
    }

    private Optional<BlockedThread> blockedThread(int pid, Path task) {
        Optional<TaskFiles.TaskState> state = read(task.resolve("stat")).flatMap(TaskFiles::parseStat);
        if (state.isEmpty() || state.get().state() != 'D') {
            return Optional.empty();
        }
        String wchan = read(task.resolve("wchan")).map(TaskFiles::wchan).orElse("?");
        long switches = read(task.resolve("status")).map(TaskFiles::contextSwitches).orElse(-1L);
        Set<String> filesystems = filesystemsSeenNow.computeIfAbsent(pid,
                p -> filesystemsByPid.containsKey(p) ? filesystemsByPid.get(p) : openFilesystems(p));
        return Optional.of(new BlockedThread(pid, state.get().tid(), state.get().comm(), wchan, switches,
                filesystems));
    }

    /**
     * The filesystems a process has files open on. Reads only the link text of /proc/PID/fd/N,
     * never the files themselves, so a stuck filesystem cannot stall the sampler.
     */
    private Set<String> openFilesystems(int pid) {
        Set<String> ids = new HashSet<>();
        int seen = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve(pid + "/fd"))) {
            for (Path fd : fds) {
                if (++seen > MAX_FDS) {
                    break;
                }
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException | UnsupportedOperationException e) {
                    continue;
                }
                if (target.startsWith("/")) {
                    String path = target.endsWith(" (deleted)")
                            ? target.substring(0, target.length() - " (deleted)".length()) : target;
                    try {
                        mounts.find(Path.of(path)).ifPresent(m -> ids.add(m.deviceId()));
                    } catch (RuntimeException e) {
                        // a path Java cannot represent: skip it
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // kernel threads have no fd table, and processes exit: nothing to attribute
        }
        return ids;
    }

    private static boolean numeric(Path entry) {
        String name = entry.getFileName().toString();
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
