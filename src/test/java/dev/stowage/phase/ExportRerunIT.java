package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second export after a finished one (to pick up late changes) must still record that the
 * containers the first one stopped were running, or import would leave them stopped; one that
 * the operator started and stopped again in between is what it is now.
 */
class ExportRerunIT {
    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", daemon -> {
        ImageFixtures.base(daemon);
        for (String name : new String[] {"kept", "restarted"}) {
            daemon.dockerOk("run", "-d", "--name", name, "--network", "none", ImageFixtures.BASE, "sleep", "3600");
        }
    });

    Path work;

    @AfterEach
    void clean() {
        if (work != null) {
            Shell.quietly("rm", "-rf", work.toString());
        }
    }

    @Test
    void secondExportStillKnowsWhichContainersTheFirstOneStopped() throws IOException {
        work = Files.createTempDirectory("stowage-rerun-");
        PrivateDaemon daemon = source.daemon();
        String dir = work.resolve("migrate").toString();
        Run first = StowageProcess.run("storage", "export", "--host", daemon.host(), "--dir", dir, "--json");
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(2, first.summary().path("containers_stopped").asInt(), first::toString);

        daemon.dockerOk("start", "restarted"); // the operator's own start and stop in between
        daemon.dockerOk("stop", "-t", "1", "restarted");

        Run second = StowageProcess.run("storage", "export", "--host", daemon.host(), "--dir", dir, "--json");
        assertEquals(0, second.exitCode(), second::toString);
        JsonNode containers = new ObjectMapper().readTree(Path.of(dir, "manifest.json").toFile()).path("containers");
        assertEquals(2, containers.size());
        for (JsonNode container : containers) {
            if (container.path("name").asText().equals("kept")) {
                assertTrue(container.path("stopped_by_export").asBoolean(), container::toString);
                assertEquals("running", container.path("state").asText());
            } else {
                assertFalse(container.path("stopped_by_export").asBoolean(), container::toString);
                assertEquals("exited", container.path("state").asText());
            }
        }
    }
}
