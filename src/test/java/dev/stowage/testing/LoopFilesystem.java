package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A freshly made filesystem on a loop device: a sparse image file, {@code losetup -f --show},
 * {@code mkfs}, {@code mount}. Closing undoes it (unmounting whatever is below the mount point
 * first) and keeps going when one step fails; {@link #detachUnder} finds the devices of image files
 * left by a test run that died.
 */
public final class LoopFilesystem implements AutoCloseable {
    private final Path image;
    private final Path mountPoint;
    private final String type;
    private Path ownedDir;
    private String device;

    private LoopFilesystem(Path image, Path mountPoint, String type) {
        this.image = image;
        this.mountPoint = mountPoint;
        this.type = type;
    }

    /** ext4 in {@code dir} ({@code dir/disk.img} mounted at {@code dir/mnt}); closing removes {@code dir}. */
    public static LoopFilesystem ext4(Path dir, int megabytes) {
        return inDir(dir, "ext4", megabytes);
    }

    /** XFS with d_type (ftype=1), what overlay2 needs, in {@code dir}. */
    public static LoopFilesystem xfs(Path dir, int megabytes) {
        return inDir(dir, "xfs", megabytes);
    }

    public static LoopFilesystem btrfs(Path dir, int megabytes) {
        return inDir(dir, "btrfs", megabytes);
    }

    private static LoopFilesystem inDir(Path dir, String type, int megabytes) {
        LoopFilesystem fs = create(dir.resolve("disk.img"), dir.resolve("mnt"), type, megabytes);
        fs.ownedDir = dir;
        return fs;
    }

    /**
     * Makes and mounts a filesystem: {@code xfs} (with {@code ftype=1}, as overlay2 needs), {@code
     * btrfs} or {@code ext4}.
     */
    public static LoopFilesystem create(Path image, Path mountPoint, String type, int megabytes) {
        LoopFilesystem fs = new LoopFilesystem(image, mountPoint, type);
        try {
            Files.createDirectories(image.getParent());
            Files.createDirectories(mountPoint);
            Shell.run("truncate", "-s", megabytes + "M", image.toString());
            fs.device = Shell.run("losetup", "-f", "--show", image.toString()).trim();
            Shell.run(mkfs(type, fs.device).toArray(new String[0]));
            Shell.run("mount", fs.device, mountPoint.toString());
            return fs;
        } catch (IOException e) {
            fs.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            fs.close();
            throw e;
        }
    }

    private static List<String> mkfs(String type, String device) {
        switch (type) {
            case "xfs":
                return List.of("mkfs.xfs", "-q", "-f", "-n", "ftype=1", device);
            case "btrfs":
                return List.of("mkfs.btrfs", "-q", "-f", device);
            case "ext4":
                return List.of("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", device);
            default:
                throw new IllegalArgumentException("no mkfs for " + type);
        }
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public String device() {
        return device;
    }

    public String type() {
        return type;
    }

    /** Whether the filesystem is still mounted exactly at its mount point. */
    public boolean mounted() {
        return Mounts.under(mountPoint).contains(mountPoint);
    }

    @Override
    public void close() {
        Mounts.unmountUnder(mountPoint);
        if (device != null) {
            Shell.quietly("losetup", "-d", device);
        }
        Shell.quietly("rm", "-f", image.toString());
        if (ownedDir != null) {
            Shell.quietly("rm", "-rf", "--one-file-system", ownedDir.toString());
        }
    }

    /** Detaches every loop device whose image file lies under {@code dir} (unmount them first). */
    public static void detachUnder(Path dir) {
        Shell.Result list = Shell.run(java.util.Map.of(), List.of("losetup", "-l", "-n", "-O", "NAME,BACK-FILE"),
                null, 60);
        for (String line : list.stdout().split("\n")) {
            String[] fields = line.trim().split("\\s+", 2);
            if (fields.length == 2 && Path.of(fields[1].replace(" (deleted)", "")).startsWith(dir)) {
                Shell.quietly("losetup", "-d", fields[0]);
            }
        }
    }
}
