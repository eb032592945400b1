package dev.stowage.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where this host keeps the files that decide how dockerd starts. Every host path is resolved
 * under {@code root}, which is {@code /} on a real host and a scratch directory in tests (or a
 * mounted image of another host).
 *
 * @param daemonJson the daemon configuration file to edit, as a path on this machine
 */
public record HostLayout(Path root, Path daemonJson) {
    public static final String DAEMON_JSON = "/etc/docker/daemon.json";
    public static final String STORAGE_SYSCONFIG = "/etc/sysconfig/docker-storage";
    public static final String STORAGE_SETUP = "/etc/sysconfig/docker-storage-setup";
    /** The systemd unit search path, highest priority first. */
    static final List<String> UNIT_DIRS = List.of("/etc/systemd/system", "/run/systemd/system",
            "/usr/lib/systemd/system", "/lib/systemd/system");

    public HostLayout {
        Objects.requireNonNull(root);
        Objects.requireNonNull(daemonJson);
        root = root.toAbsolutePath().normalize();
        daemonJson = daemonJson.toAbsolutePath().normalize();
    }

    /** The real host: files under {@code /}, daemon.json at its default place. */
    public static HostLayout host() {
        return new HostLayout(Path.of("/"), Path.of(DAEMON_JSON));
    }

    /** Files under {@code root}; {@code daemonJson} null for {@code ROOT/etc/docker/daemon.json}. */
    public static HostLayout under(Path root, Path daemonJson) {
        return new HostLayout(root, daemonJson != null ? daemonJson : path(root, DAEMON_JSON));
    }

    /** A path as the host names it (/etc/...), resolved under {@link #root()}. */
    public Path path(String hostPath) {
        return path(root, hostPath);
    }

    private static Path path(Path root, String hostPath) {
        String relative = hostPath.replaceFirst("^/+", "");
        return relative.isEmpty() ? root : root.resolve(relative).normalize();
    }

    List<Path> unitDirs() {
        return UNIT_DIRS.stream().map(this::path).distinct().toList();
    }

    public Path storageSysconfig() {
        return path(STORAGE_SYSCONFIG);
    }

    Path storageSetup() {
        return path(STORAGE_SETUP);
    }
}
