package dev.stowage.docker;

import dev.stowage.model.DaemonFacts;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Controls the daemon with the operator's own commands ({@code --stop-command}, {@code
 * --start-command}), for hosts without systemd: run through {@code /bin/sh -c}; a start command
 * may leave the daemon running in the background.
 */
public final class CommandControl implements DaemonControl {
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final int MAX_LOG_LINES = 40;
    private static final int MAX_FAILURE_SCAN = 1 << 20;
    /** What dockerd prints when it exits at start (its own error, or a logrus fatal line). */
    private static final List<String> FATAL = List.of("unable to configure the Docker daemon", "failed to start daemon",
            "level=fatal");
    private static final String ANOTHER_DAEMON = "pid file found";

    private final DockerHost host;
    private final String stopCommand;
    private final String startCommand;
    private final Path daemonLog;
    private String lastOutput = "";
    private long logMark = -1;

    /** @param daemonLog where the daemon logs, to quote when it fails to start; may be null */
    public CommandControl(DockerHost host, String stopCommand, String startCommand, Path daemonLog) {
        this.host = host;
        this.stopCommand = stopCommand;
        this.startCommand = startCommand;
        this.daemonLog = daemonLog;
    }

    @Override
    public String describe() {
        return "commands: stop `" + stopCommand + "`, start `" + startCommand + "`";
    }

    @Override
    public void stop(Duration timeout) {
        if (DaemonProcess.answers(host)) {
            run(stopCommand, "stop", timeout);
        }
        DaemonProcess.awaitDown(host, timeout, SETTLE, this);
    }

    @Override
    public DaemonFacts start(Duration timeout) {
        if (!DaemonProcess.answers(host)) {
            logMark = logSize();
            run(startCommand, "start", timeout);
        }
        return DaemonProcess.awaitUp(host, timeout, this);
    }

    /**
     * dockerd's last words, when it wrote any to its log since this start: a setting given both as
     * a flag and in daemon.json, a driver the kernel lacks. Not "pid file found": that one means a
     * daemon started earlier (by a run that was killed) holds the pidfile and may still come up, so
     * the wait goes on. Without a log to read, nothing can be told before the timeout.
     */
    @Override
    public Optional<String> startFailure() {
        if (daemonLog == null || logMark < 0) {
            return Optional.empty();
        }
        try (SeekableByteChannel channel = Files.newByteChannel(daemonLog)) {
            if (channel.size() <= logMark) {
                return Optional.empty();
            }
            channel.position(logMark);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size() - logMark, MAX_FAILURE_SCAN));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read what the daemon wrote since the start, up to the cap
            }
            List<String> fatal = new ArrayList<>();
            for (String line : new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).split("\n")) {
                if (FATAL.stream().anyMatch(line::contains) && !line.contains(ANOTHER_DAEMON)) {
                    fatal.add(line.strip());
                }
            }
            return fatal.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", fatal));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private long logSize() {
        try {
            return daemonLog == null || !Files.exists(daemonLog) ? 0 : Files.size(daemonLog);
        } catch (IOException e) {
            return 0;
        }
    }

    private void run(String command, String what, Duration timeout) {
        try {
            Path output = Files.createTempFile("stowage-daemon-" + what, ".log");
            try {
                Process process = new ProcessBuilder("/bin/sh", "-c", command)
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new StowageException(ExitCode.DAEMON, "the " + what + " command did not finish within "
                            + timeout.toSeconds() + " s: " + command, "check the command by running it by hand");
                }
                lastOutput = Files.readString(output, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new StowageException(ExitCode.DAEMON, "the " + what + " command failed (exit "
                            + process.exitValue() + "): " + command + (lastOutput.isBlank() ? "" : "\n" + lastOutput.strip()),
                            "fix the command (--" + what + "-command) and run again");
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new StowageException(ExitCode.DAEMON, "cannot run the " + what + " command: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException(ExitCode.INTERRUPTED, "interrupted while running the " + what + " command", null);
        }
    }

    @Override
    public String recentLog() {
        StringBuilder log = new StringBuilder(lastOutput.strip());
        if (daemonLog != null && Files.isReadable(daemonLog)) {
            try {
                List<String> lines = Files.readAllLines(daemonLog, StandardCharsets.UTF_8);
                lines.subList(Math.max(0, lines.size() - MAX_LOG_LINES), lines.size())
                        .forEach(line -> log.append(log.length() == 0 ? "" : "\n").append(line));
            } catch (IOException e) {
                log.append("\n(cannot read ").append(daemonLog).append(": ").append(e.getMessage()).append(')');
            }
        }
        return log.toString();
    }
}
