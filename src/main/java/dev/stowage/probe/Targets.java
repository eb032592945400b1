package dev.stowage.probe;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Resolves paths to the filesystems and block devices they live on. */
final class Targets {
    private Targets() {
    }

    static List<Target> resolve(List<Path> paths, MountTable mounts, Path sys) {
        Map<String, List<Path>> pathsByFs = new LinkedHashMap<>();
        Map<String, Path> dirByFs = new LinkedHashMap<>();
        Map<String, MountEntry> mountByFs = new LinkedHashMap<>();
        for (Path path : paths) {
            Path dir = existingDirectory(path);
            MountEntry mount = mounts.find(dir).orElseThrow(() -> new StowageException(ExitCode.PRECHECK,
                    "cannot find the filesystem of " + path + " in /proc/self/mountinfo",
                    "check that /proc is mounted"));
            String fs = mount.deviceId();
            pathsByFs.computeIfAbsent(fs, k -> new ArrayList<>()).add(path);
            dirByFs.putIfAbsent(fs, dir);
            mountByFs.putIfAbsent(fs, mount);
        }
        List<Target> targets = new ArrayList<>();
        pathsByFs.forEach((fs, list) -> targets.add(new Target(list, dirByFs.get(fs), mountByFs.get(fs),
                BlockDevice.of(mountByFs.get(fs), sys))));
        return targets;
    }

    /**
     * The path itself if it is a directory, else its nearest existing ancestor directory, with
     * symlinks resolved: a migration directory that does not exist yet will be made on the
     * filesystem of its parent.
     */
    static Path existingDirectory(Path path) {
        Path candidate = path.toAbsolutePath().normalize();
        while (candidate != null && !Files.isDirectory(candidate)) {
            candidate = candidate.getParent();
        }
        if (candidate == null) {
            candidate = Path.of("/");
        }
        try {
            return candidate.toRealPath();
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot resolve " + candidate + ": " + e.getMessage(),
                    "check the path and its permissions", e);
        }
    }
}
