package dev.stowage.probe;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One filesystem to check, and the paths that asked for it: a data-root and a migration directory
 * on the same filesystem are one target, probed once.
 *
 * @param paths the paths as given
 * @param probeDir an existing directory on the filesystem, where the active probe's temp file goes
 *     (the nearest existing ancestor of a path that does not exist yet)
 * @param device the backing block device, if the filesystem has one
 */
public record Target(List<Path> paths, Path probeDir, MountEntry mount, Optional<BlockDevice> device) {
    public Target {
        paths = List.copyOf(paths);
    }

    /** The name used in findings: the first path asked for. */
    public String subject() {
        return paths.get(0).toString();
    }

    /** {@code ext4 on vda1 on vda (254:0), mounted at /}. */
    public String describe() {
        return mount.fsType() + " on " + device.map(BlockDevice::describe).orElse(mount.source() + " (no block device)")
                + ", mounted at " + mount.mountPoint();
    }
}
