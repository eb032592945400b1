package dev.stowage.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a start through {@code --start-command} ends when no daemon comes up: at once, quoting
 * dockerd, when its log says it gave up; at the timeout when it only says another daemon holds the
 * pidfile (that one may still come up). No Docker here: the socket never exists, and the "daemon"
 * is a start command that writes what dockerd would.
 */
class CommandControlTest {
    private static final String CLASH = "unable to configure the Docker daemon with file /etc/docker/daemon.json: the"
            + " following directives are specified both as a flag and in the configuration file: storage-driver:"
            + " (from flag: overlay2, from file: vfs)";

    @TempDir
    Path dir;

    @Test
    void aDaemonThatGaveUpFailsTheStartAtOnceAndIsQuoted() throws IOException {
        Path log = Files.writeString(dir.resolve("dockerd.log"), "level=fatal msg=\"an earlier run, not this start\"\n");
        CommandControl control = control(log, "printf '%s' '" + CLASH + "' >> " + log);

        long start = System.nanoTime();
        StowageException e = assertThrows(StowageException.class, () -> control.start(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "not at the 30 s timeout");
        assertEquals(ExitCode.DAEMON, e.exitCode());
        assertTrue(e.getMessage().contains("failed to start") && e.getMessage().contains(CLASH), e.getMessage());
        assertFalse(e.getMessage().contains("an earlier run"), "only what this start wrote: " + e.getMessage());
        assertTrue(e.hint().contains("remove it from the daemon's flags"), e.hint());
    }

    @Test
    void anotherDaemonHoldingThePidfileIsWaitedForUntilTheTimeout() throws IOException {
        Path log = Files.createFile(dir.resolve("dockerd.log"));
        CommandControl control = control(log, "echo 'failed to start daemon: pid file found, ensure docker is not"
                + " running or delete /var/run/docker.pid' >> " + log);

        long start = System.nanoTime();
        StowageException e = assertThrows(StowageException.class, () -> control.start(Duration.ofSeconds(2)));
        assertTrue(System.nanoTime() - start >= Duration.ofSeconds(2).toNanos(), "waited for the other daemon");
        assertEquals(ExitCode.DAEMON, e.exitCode());
        assertTrue(e.getMessage().contains("did not come up") && e.getMessage().contains("pid file found"),
                e.getMessage());
    }

    private CommandControl control(Path log, String startCommand) {
        DockerHost host = DockerHost.parse("unix://" + dir.resolve("docker.sock"));
        return new CommandControl(host, "true", startCommand, log);
    }
}
