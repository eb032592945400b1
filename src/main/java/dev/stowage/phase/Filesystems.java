package dev.stowage.phase;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import dev.stowage.plan.Filesystem;
import dev.stowage.probe.MountEntry;
import dev.stowage.probe.MountTable;
import dev.stowage.probe.SpaceUsage;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The filesystems a run's paths live on, with their free space and inodes as statvfs says now. A
 * path that does not exist yet (a migration directory about to be made, {@code <data-root>/tmp})
 * counts on the filesystem of its nearest existing parent. Each filesystem is measured once.
 */
final class Filesystems {
    private final MountTable mounts;
    private final Map<String, Filesystem> byDevice = new HashMap<>();

    Filesystems() {
        this.mounts = MountTable.read(Path.of("/proc/self/mountinfo"));
    }

    Filesystem of(Path path) {
        Path dir = existingDirectory(path);
        MountEntry mount = mounts.find(dir).orElse(null);
        String device = mount == null ? "path:" + dir : mount.deviceId();
        return byDevice.computeIfAbsent(device, d -> measure(d, mount == null ? dir : mount.mountPoint(), dir));
    }

    private static Filesystem measure(String device, Path mountPoint, Path dir) {
        SpaceUsage usage = SpaceUsage.of(dir).orElse(null);
        if (usage != null) {
            return new Filesystem(device, mountPoint.toString(), usage.availableBytes(), usage.totalBytes(),
                    usage.availableInodes(), usage.inodes());
        }
        try {
            FileStore store = Files.getFileStore(dir); // JNA unavailable: bytes from the JDK, no inode check
            return new Filesystem(device, mountPoint.toString(), store.getUsableSpace(), store.getTotalSpace(), 0, 0);
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot read the free space of " + dir + ": "
                    + e.getMessage(), "check the path and its permissions", e);
        }
    }

    static Path existingDirectory(Path path) {
        Path candidate = path.toAbsolutePath().normalize();
        while (candidate != null && !Files.isDirectory(candidate)) {
            candidate = candidate.getParent();
        }
        try {
            return candidate == null ? Path.of("/") : candidate.toRealPath();
        } catch (IOException e) {
            return candidate;
        }
    }
}
