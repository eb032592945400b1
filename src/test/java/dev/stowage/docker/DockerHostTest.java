package dev.stowage.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DockerHostTest {
    @Test
    void parsesAUnixSocket() {
        DockerHost host = DockerHost.parse("unix:///run/docker-test.sock");
        assertTrue(host.isUnix());
        assertEquals(Path.of("/run/docker-test.sock"), host.socket());
        assertEquals("unix:///run/docker-test.sock", host.toString());
    }

    @Test
    void parsesATcpHostAndPort() {
        DockerHost host = DockerHost.parse(" tcp://10.0.0.5:2375 ");
        assertFalse(host.isUnix());
        assertNull(host.socket());
        assertEquals("10.0.0.5", host.uri().getHost());
        assertEquals(2375, host.uri().getPort());
    }

    @Test
    void rejectsOtherSchemesAsUsageErrors() {
        for (String bad : new String[] {"ftp://x", "http://localhost:2375", "npipe:////./pipe/docker_engine",
            "ssh://user@host", "/var/run/docker.sock", "localhost:2375"}) {
            StowageException e = assertThrows(StowageException.class, () -> DockerHost.parse(bad), bad);
            assertEquals(ExitCode.USAGE, e.exitCode(), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
            assertTrue(e.hint().contains("unix:///var/run/docker.sock"), e.hint());
        }
    }

    @Test
    void rejectsIncompleteAddresses() {
        for (String bad : new String[] {"unix://", "tcp://host", "tcp://:2375", "tcp://", "not a uri", ""}) {
            StowageException e = assertThrows(StowageException.class, () -> DockerHost.parse(bad), bad);
            assertEquals(ExitCode.USAGE, e.exitCode(), bad);
        }
    }

    @Test
    void rejectsAUnixPathWithOnlyTwoSlashes() {
        // unix://var/run/docker.sock would otherwise quietly mean the socket /run/docker.sock on host "var".
        StowageException e = assertThrows(StowageException.class,
                () -> DockerHost.parse("unix://var/run/docker.sock"));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void resolvePrefersTheOptionThenTheEnvironmentThenTheDefault() {
        assertEquals("unix:///opt/a.sock", DockerHost.resolve("unix:///opt/a.sock", "tcp://h:1").toString());
        assertEquals("tcp://h:1", DockerHost.resolve(null, "tcp://h:1").toString());
        assertEquals("tcp://h:1", DockerHost.resolve("  ", "tcp://h:1").toString());
        assertEquals(DockerHost.DEFAULT, DockerHost.resolve(null, null).toString());
        assertEquals(DockerHost.DEFAULT, DockerHost.resolve("", "").toString());
    }

    @Test
    void resolveValidatesTheEnvironmentToo() {
        StowageException e = assertThrows(StowageException.class, () -> DockerHost.resolve(null, "ftp://x"));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void missingSocketIsADaemonFailure() {
        StowageException e = assertThrows(StowageException.class,
                () -> DockerHost.parse("unix:///nonexistent/stowage-test.sock").checkReachable());
        assertEquals(ExitCode.DAEMON, e.exitCode());
        assertTrue(e.getMessage().contains("/nonexistent/stowage-test.sock"), e.getMessage());
    }
}
