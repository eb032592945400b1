package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real filesystem of any type on a loop device, for tests: an image file, {@code losetup},
 * {@code mkfs.TYPE}, {@code mount}. Closing undoes all of it (mounts under it first, deepest
 * first), and keeps going when one step fails.
 */
public final class LoopFilesystem implements AutoCloseable {
    private final Path dir;
    private final Path image;
    private final Path mountPoint;
    private String device;

    private LoopFilesystem(Path dir) {
        this.dir = dir;
        this.image = dir.resolve("disk.img");
        this.mountPoint = dir.resolve("mnt");
    }

    /** ext4 with every inode table written now, so that no lazy init competes with the test. */
    public static LoopFilesystem ext4(Path dir, int megabytes) {
        return make(dir, megabytes, "mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0");
    }

    /** XFS with d_type (ftype=1): what overlay2 needs. */
    public static LoopFilesystem xfs(Path dir, int megabytes) {
        return make(dir, megabytes, "mkfs.xfs", "-q", "-f", "-n", "ftype=1");
    }

    public static LoopFilesystem btrfs(Path dir, int megabytes) {
        return make(dir, megabytes, "mkfs.btrfs", "-q", "-f");
    }

    /** Formats a new loop device with {@code mkfs} (the device is appended) and mounts it at {@code dir/mnt}. */
    public static LoopFilesystem make(Path dir, int megabytes, String... mkfs) {
        LoopFilesystem fs = new LoopFilesystem(dir);
        try {
            Files.createDirectories(fs.mountPoint);
            Shell.run("truncate", "-s", megabytes + "M", fs.image.toString());
            fs.device = Shell.run("losetup", "-f", "--show", fs.image.toString()).trim();
            List<String> command = new ArrayList<>(List.of(mkfs));
            command.add(fs.device);
            Shell.run(command.toArray(new String[0]));
            Shell.run("mount", fs.device, fs.mountPoint.toString());
            return fs;
        } catch (RuntimeException | IOException e) {
            fs.close();
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

    @Override
    public void close() {
        Mounts.unmountUnder(mountPoint);
        if (device != null) {
            Shell.quietly("losetup", "-d", device);
        }
        Shell.quietly("rm", "-rf", "--one-file-system", dir.toString());
    }
}
