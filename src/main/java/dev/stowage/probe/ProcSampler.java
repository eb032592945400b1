package dev.stowage.probe;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    /** A thread's stat line is 250-400 bytes; one that fills this is parsed in full. */
    private static final int STAT_BUFFER = 1024;

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

    /**
     * Every thread's {@code stat} is read on every snapshot (a few hundred files, ten times a second
     * while a command starts), so this path is kept lean: names listed with {@link File#list}, each
     * file read into one reused buffer, and the state byte found without decoding the line. Only a
     * thread in D state is looked at further.
     */
    private Map<Integer, BlockedThread> scanThreads() {
        Map<Integer, BlockedThread> blocked = new HashMap<>();
        String[] processes = proc.toFile().list();
        if (processes == null) {
            return Map.of();
        }
        byte[] buffer = new byte[STAT_BUFFER];
        String procDir = proc.toString();
        for (String process : processes) {
            if (!numeric(process)) {
                continue;
            }
            String taskDir = procDir + "/" + process + "/task";
            String[] tasks = new File(taskDir).list();
            if (tasks == null) {
                continue; // the process exited while we looked: it is not blocked any more
            }
            int pid = Integer.parseInt(process);
            for (String task : tasks) {
                String stat = numeric(task) ? blockedStat(taskDir + "/" + task + "/stat", buffer) : null;
                if (stat != null) {
                    blockedThread(pid, proc.resolve(process).resolve("task").resolve(task), stat)
                            .ifPresent(t -> blocked.put(t.tid(), t));
                }
            }
        }
        return blocked;
    }

    /**
     * The {@code stat} line in {@code file} if it says D (uninterruptible sleep), else null. The
     * state is the byte two after the last ')' (the command name may hold parentheses); only a line
     * that says D is decoded. A line too long for the buffer is read again whole and left to
     * {@link #blockedThread}, which parses it in full; a file that cannot be read belongs to a
     * thread that has exited, which is not blocked.
     */
    static String blockedStat(String file, byte[] buffer) {
        int length;
        try (FileInputStream in = new FileInputStream(file)) {
            length = in.read(buffer);
        } catch (IOException e) {
            return null; // the thread exited
        }
        if (length >= buffer.length) {
            return read(Path.of(file)).orElse(null);
        }
        for (int i = length - 1; i >= 0; i--) {
            if (buffer[i] == ')') {
                return i + 2 < length && buffer[i + 2] == 'D'
                        ? new String(buffer, 0, length, StandardCharsets.UTF_8) : null;
            }
        }
        return null;
    }

    private Optional<BlockedThread> blockedThread(int pid, Path task, String stat) {
        Optional<TaskFiles.TaskState> state = TaskFiles.parseStat(stat);
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

    private static boolean numeric(String name) {
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
