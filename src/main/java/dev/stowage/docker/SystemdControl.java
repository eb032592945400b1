package dev.stowage.docker;

import dev.stowage.model.DaemonFacts;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Controls the daemon through systemd: {@code docker.socket} is stopped with {@code docker.service},
 * or the first API call would start the daemon again by socket activation.
 */
public final class SystemdControl implements DaemonControl {
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private final DockerHost host;

    public SystemdControl(DockerHost host) {
        this.host = host;
    }

    /** Whether this host runs systemd as its init. */
    public static boolean available() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }

    @Override
    public String describe() {
        return "systemd (docker.socket, docker.service)";
    }

    @Override
    public void stop(Duration timeout) {
        systemctl(timeout, "stop", "docker.socket", "docker.service");
        DaemonProcess.awaitDown(host, timeout, SETTLE, this);
        String state = systemctl(timeout, "is-active", "docker.service").strip();
        if (state.equals("active") || state.equals("activating")) {
            throw new StowageException(ExitCode.PRECHECK, "docker.service is " + state + " again after it was stopped",
                    "find what restarts it (`systemctl list-dependencies --reverse docker.service`) and stop that first");
        }
    }

    @Override
    public DaemonFacts start(Duration timeout) {
        systemctl(timeout, "start", "docker.socket", "docker.service");
        return DaemonProcess.awaitUp(host, timeout, this);
    }

    @Override
    public String recentLog() {
        try {
            return run(Duration.ofSeconds(10), List.of("journalctl", "-u", "docker.service", "-n", "30", "--no-pager"));
        } catch (StowageException e) {
            return "";
        }
    }

    private String systemctl(Duration timeout, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("systemctl"));
        command.addAll(List.of(args));
        return run(timeout, command);
    }

    private static String run(Duration timeout, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (process.exitValue() != 0 && !command.contains("is-active")) {
                throw new StowageException(ExitCode.DAEMON, String.join(" ", command) + " failed: " + output.strip(),
                        "check `systemctl status docker`");
            }
            return output;
        } catch (IOException e) {
            throw new StowageException(ExitCode.DAEMON, "cannot run " + command.get(0) + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException(ExitCode.INTERRUPTED, "interrupted while running " + command.get(0), null);
        }
    }
}
