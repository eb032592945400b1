package dev.stowage.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A scratch host filesystem for tests: files written at their host paths under a root. */
final class HostRoot {
    private final Path root;

    HostRoot(Path root) {
        this.root = root;
    }

    HostRoot write(String hostPath, String content) {
        try {
            Path file = path(hostPath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String hostPath) {
        try {
            return Files.readString(path(hostPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path(String hostPath) {
        return root.resolve(hostPath.substring(1));
    }

    HostLayout layout() {
        return HostLayout.under(root, null);
    }

    DaemonConfig config() {
        return DaemonConfig.read(layout());
    }

    /** RHEL 7's docker.service, as shipped by the docker package (ExecStart trimmed). */
    static final String RHEL_UNIT = "[Unit]\nDescription=Docker Application Container Engine\n\n[Service]\n"
            + "Type=notify\n"
            + "EnvironmentFile=-/run/containers/registries.conf\n"
            + "EnvironmentFile=-/etc/sysconfig/docker\n"
            + "EnvironmentFile=-/etc/sysconfig/docker-storage\n"
            + "EnvironmentFile=-/etc/sysconfig/docker-network\n"
            + "Environment=GOTRACEBACK=crash\n"
            + "ExecStart=/usr/bin/dockerd-current \\\n"
            + "          --add-runtime docker-runc=/usr/libexec/docker/docker-runc-current \\\n"
            + "          --default-runtime=docker-runc \\\n"
            + "          --exec-opt native.cgroupdriver=systemd \\\n"
            + "          --userland-proxy-path=/usr/libexec/docker/docker-proxy-current \\\n"
            + "          $OPTIONS \\\n"
            + "          $DOCKER_STORAGE_OPTIONS \\\n"
            + "          $DOCKER_NETWORK_OPTIONS \\\n"
            + "          $ADD_REGISTRY\n"
            + "ExecReload=/bin/kill -s HUP $MAINPID\n\n[Install]\nWantedBy=multi-user.target\n";

    /** Debian's docker.io docker.service (the part that matters). */
    static final String DEBIAN_UNIT = "[Service]\nType=notify\nEnvironmentFile=-/etc/default/docker\n"
            + "ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS\n";
}
