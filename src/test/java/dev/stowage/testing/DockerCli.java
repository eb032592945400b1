package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The docker CLI pointed at one test daemon ({@link PrivateDaemon}, {@link ControlledDaemon}), so
 * that fixtures ({@link ImageFixtures}) can seed either kind.
 */
public interface DockerCli {

    /** {@code unix:///…/docker.sock}. */
    String host();

    /** The daemon's own directory, for scratch files such as Dockerfiles. */
    Path root();

    /** Runs the docker CLI against this daemon. */
    default Shell.Result docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        return Shell.run(Map.of("DOCKER_HOST", host(), "DOCKER_BUILDKIT", "0"), command);
    }

    /** Runs the docker CLI and returns its trimmed stdout, failing on a non-zero exit. */
    default String dockerOk(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return docker(args).requireSuccess(command).stdout().trim();
    }

    /** {@code docker build} from a Dockerfile given as text, without network and without a context. */
    default String build(String tag, String dockerfile) {
        try {
            Path file = Files.createTempFile(root(), "Dockerfile", "");
            Files.writeString(file, dockerfile);
            List<String> command = new ArrayList<>(List.of("docker", "build", "--network", "none", "-q"));
            if (tag != null) {
                command.addAll(List.of("-t", tag));
            }
            command.add("-");
            return Shell.run(Map.of("DOCKER_HOST", host(), "DOCKER_BUILDKIT", "0"), command, file, 600)
                    .requireSuccess(command).stdout().trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code repo:tag -> sha256:id} for every tagged image, and {@code <none>:<none>} entries by ID. */
    default Map<String, String> imageTable() {
        Map<String, String> table = new TreeMap<>();
        String out = dockerOk("images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}");
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            table.put(parts[0].equals("<none>:<none>") ? "<none>@" + parts[1] : parts[0], parts[1]);
        }
        return table;
    }
}
