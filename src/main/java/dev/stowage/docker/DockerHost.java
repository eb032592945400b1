package dev.stowage.docker;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A validated daemon address: {@code unix:///path/to/socket} or {@code tcp://host:port}. */
public record DockerHost(URI uri) {
    public static final String DEFAULT = "unix:///var/run/docker.sock";

    /** The operator's {@code --host}, else {@code DOCKER_HOST}, else the default socket. */
    public static DockerHost resolve(String option, String environment) {
        String text = option != null && !option.isBlank() ? option
                : environment != null && !environment.isBlank() ? environment : DEFAULT;
        return parse(text);
    }

    public static DockerHost parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw badHost(text, "it is not a URI");
        }
        String scheme = uri.getScheme();
        if ("unix".equals(scheme)) {
            if (uri.getRawAuthority() != null) {
                // unix://var/run/x.sock parses as host "var" and path /run/x.sock: a different socket.
                throw badHost(text, "a socket path needs three slashes, as in unix:///var/run/docker.sock");
            }
            if (uri.getPath() == null || uri.getPath().isEmpty()) {
                throw badHost(text, "it names no socket path");
            }
        } else if ("tcp".equals(scheme)) {
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw badHost(text, "it needs a host and a port");
            }
        } else {
            throw badHost(text, "only unix:// and tcp:// are supported");
        }
        return new DockerHost(uri);
    }

    public boolean isUnix() {
        return "unix".equals(uri.getScheme());
    }

    /** For a unix host, the socket file; null otherwise. */
    public Path socket() {
        return isUnix() ? Path.of(uri.getPath()) : null;
    }

    /** Fails early, with a clear message, when a unix socket is plainly not there. */
    void checkReachable() {
        if (isUnix() && !Files.exists(socket())) {
            throw DaemonErrors.unreachable(this, "there is no socket at " + socket());
        }
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    private static StowageException badHost(String text, String problem) {
        return new StowageException(ExitCode.USAGE, "invalid Docker host '" + text + "': " + problem,
                "use unix:///var/run/docker.sock or tcp://HOST:2375 (--host or DOCKER_HOST)");
    }
}
