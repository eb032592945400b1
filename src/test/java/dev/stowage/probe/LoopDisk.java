package dev.stowage.probe;

import dev.stowage.testing.Mounts;
import dev.stowage.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real filesystem on a loop device, for tests: an image file, {@code losetup}, {@code mkfs},
 * {@code mount}. Closing undoes all of it, and keeps going when one step fails.
 */
public final class LoopDisk implements AutoCloseable {
    private final Path dir;
    private final Path image;
    private final Path mountPoint;
    private String device;

    private LoopDisk(Path dir) {
        this.dir = dir;
        this.image = dir.resolve("disk.img");
        this.mountPoint = dir.resolve("mnt");
    }

    /** An ext4 filesystem of {@code megabytes} on a new loop device, mounted under {@code dir}. */
    public static LoopDisk ext4(Path dir, int megabytes, String... losetupOptions) {
        LoopDisk disk = new LoopDisk(dir);
        try {
            Files.createDirectories(disk.mountPoint);
            Shell.run("truncate", "-s", megabytes + "M", disk.image.toString());
            List<String> losetup = new ArrayList<>(List.of("losetup", "-f", "--show"));
            losetup.addAll(List.of(losetupOptions));
            losetup.add(disk.image.toString());
            disk.device = Shell.run(losetup.toArray(new String[0])).trim();
            Shell.run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", disk.device);
            Shell.run("mount", "-o", "errors=continue", disk.device, disk.mountPoint.toString());
            return disk;
        } catch (RuntimeException | IOException e) {
            disk.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** {@code /dev/loopN}. */
    public String device() {
        return device;
    }

    public String name() {
        return Path.of(device).getFileName().toString();
    }

    /** {@code MAJ:MIN}, as blkio throttle files want it. */
    public String deviceId() {
        try {
            return Files.readString(Path.of("/sys/block", name(), "dev")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Mounts.unmountUnder(mountPoint);
        if (device != null) {
            Shell.quietly("losetup", "-d", device);
        }
        Shell.quietly("rm", "-rf", dir.toString());
    }
}
