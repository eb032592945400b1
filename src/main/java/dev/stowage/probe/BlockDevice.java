package dev.stowage.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The block device a filesystem sits on, as the kernel counts its IO in /proc/diskstats.
 *
 * @param name the whole disk, e.g. {@code vda} or {@code loop0}: its diskstats row and queue are the
 *     ones that show a capped or stuck device
 * @param deviceId {@code MAJ:MIN} of {@code name}
 * @param partition the partition the filesystem is on, e.g. {@code vda1}; equal to {@code name} when
 *     the filesystem is on the whole disk
 * @param partitionId {@code MAJ:MIN} of {@code partition}, as blkio throttle files want it
 */
public record BlockDevice(String name, String deviceId, String partition, String partitionId) {

    /**
     * Resolves a mount to its disk through sysfs: {@code /sys/dev/block/MAJ:MIN} links to the
     * device's directory, and a partition's parent directory is its disk. Filesystems without a
     * device number of their own (btrfs, some overlays) are looked up by their mount source.
     */
    public static Optional<BlockDevice> of(MountEntry mount, Path sysRoot) {
        Optional<Path> dir = Optional.empty();
        if (mount.major() != 0) {
            dir = existing(sysRoot.resolve("dev/block").resolve(mount.deviceId()));
        } else if (mount.source().startsWith("/dev/")) {
            dir = bySource(mount.source(), sysRoot);
        }
        return dir.flatMap(BlockDevice::describe);
    }

    private static Optional<Path> bySource(String source, Path sysRoot) {
        String name;
        try {
            name = Path.of(source).toRealPath().getFileName().toString();
        } catch (IOException | RuntimeException e) {
            name = Path.of(source).getFileName().toString();
        }
        return existing(sysRoot.resolve("class/block").resolve(name));
    }

    private static Optional<Path> existing(Path link) {
        try {
            return Optional.of(link.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<BlockDevice> describe(Path dir) {
        Optional<String> id = read(dir.resolve("dev"));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String partition = dir.getFileName().toString();
        if (Files.exists(dir.resolve("partition"))) {
            Path disk = dir.getParent();
            Optional<String> diskId = read(disk.resolve("dev"));
            if (diskId.isPresent()) {
                return Optional.of(new BlockDevice(disk.getFileName().toString(), diskId.get(), partition, id.get()));
            }
        }
        return Optional.of(new BlockDevice(partition, id.get(), partition, id.get()));
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code vda1 on vda (254:0)} or {@code loop0 (7:0)}. */
    public String describe() {
        return partition.equals(name) ? name + " (" + deviceId + ")"
                : partition + " on " + name + " (" + deviceId + ")";
    }
}
