package dev.stowage.cli;

import dev.stowage.docker.CommandControl;
import dev.stowage.docker.DaemonControl;
import dev.stowage.docker.DockerHost;
import dev.stowage.docker.SystemdControl;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How stowage stops and starts the Docker daemon: systemd by default, or the operator's commands. */
public final class DaemonControlOptions {
    @Option(names = "--stop-command", paramLabel = "CMD",
            description = "Shell command that stops the Docker daemon (hosts without systemd).")
    String stopCommand;

    @Option(names = "--start-command", paramLabel = "CMD",
            description = "Shell command that starts the Docker daemon (hosts without systemd).")
    String startCommand;

    @Option(names = "--daemon-log", paramLabel = "FILE",
            description = "The daemon's log file, quoted when it fails to start (with --start-command).")
    Path daemonLog;

    @Option(names = "--daemon-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the daemon to stop or start. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    DaemonControl control(DockerHost host) {
        if (stopCommand != null || startCommand != null) {
            if (stopCommand == null || startCommand == null) {
                throw new StowageException(ExitCode.USAGE, "--stop-command and --start-command go together",
                        "give both, or neither to use systemd");
            }
            return new CommandControl(host, stopCommand, startCommand, daemonLog);
        }
        if (!SystemdControl.available()) {
            throw new StowageException(ExitCode.USAGE, "this host does not run systemd, so stowage cannot stop and"
                    + " start the Docker daemon by itself", "give --stop-command and --start-command");
        }
        return new SystemdControl(host);
    }
}
