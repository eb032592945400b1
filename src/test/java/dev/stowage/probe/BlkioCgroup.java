package dev.stowage.probe;

import dev.stowage.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cgroup-v1 blkio group with throttle limits: processes in it see a slow disk, the way a cloud
 * volume out of burst credits is slow (requests held back, not failed). Closing lifts the limits
 * first, so that held IO completes, then kills what is left in the group and removes it.
 */
public final class BlkioCgroup implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup/blkio");

    private final Path dir;
    private final List<String> limited = new ArrayList<>();

    private BlkioCgroup(Path dir) {
        this.dir = dir;
    }

    public static BlkioCgroup create(String name) {
        Path dir = ROOT.resolve("stowage-it-" + name + "-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + " (cgroup-v1 blkio is needed)", e);
        }
        return new BlkioCgroup(dir);
    }

    public Path dir() {
        return dir;
    }

    public BlkioCgroup writeIops(String deviceId, long iops) {
        return limit("blkio.throttle.write_iops_device", deviceId, iops);
    }

    public BlkioCgroup writeBytesPerSecond(String deviceId, long bytes) {
        return limit("blkio.throttle.write_bps_device", deviceId, bytes);
    }

    private BlkioCgroup limit(String file, String deviceId, long value) {
        write(dir.resolve(file), deviceId + " " + value);
        limited.add(file + " " + deviceId);
        return this;
    }

    /** Starts {@code command} inside the group: it joins before it execs, so all its IO is throttled. */
    public Process start(String... command) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                dir.resolve("cgroup.procs").toString()));
        argv.addAll(List.of(command));
        try {
            return new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Long> pids() {
        try {
            return Files.readAllLines(dir.resolve("cgroup.procs")).stream().filter(s -> !s.isBlank())
                    .map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        for (String entry : limited) {
            String[] f = entry.split(" ");
            try {
                write(dir.resolve(f[0]), f[1] + " 0");
            } catch (RuntimeException e) {
                // go on: the kill below and rmdir still matter
            }
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!pids().isEmpty() && System.nanoTime() < deadline) {
            pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Shell.quietly("rmdir", dir.toString());
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + value + "' to " + file, e);
        }
    }
}
