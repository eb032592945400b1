package dev.stowage.probe;

import java.nio.file.Path;
import java.util.Set;

/**
 * One line of {@code /proc/self/mountinfo}.
 *
 * @param major major device number of the filesystem (0 for tmpfs, overlay, btrfs and other
 *     filesystems without one block device)
 * @param options per-mount options ({@code ro}, {@code noatime}, ...)
 * @param source the mount source, e.g. {@code /dev/vda1}
 * @param superOptions per-superblock options; {@code ro} here means the filesystem itself is read-only
 */
public record MountEntry(int id, int parentId, int major, int minor, String root, Path mountPoint,
        Set<String> options, String fsType, String source, Set<String> superOptions) {
    public MountEntry {
        options = Set.copyOf(options);
        superOptions = Set.copyOf(superOptions);
    }

    /** {@code MAJ:MIN}, as /proc/diskstats, /sys/dev/block and blkio files write it. */
    public String deviceId() {
        return major + ":" + minor;
    }

    public boolean readOnly() {
        return options.contains("ro") || superOptions.contains("ro");
    }
}
