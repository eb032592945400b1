package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.testing.ControlledDaemon;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.LoopFilesystem;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code stowage storage migrate} end to end on a daemon started and stopped by scripts, as on a
 * host without systemd: to a new data-root on a fresh XFS disk, to btrfs on a btrfs disk, and from
 * overlay2 to vfs in place (the reset path). One seeded daemon lives through the three moves, so
 * each move also proves that the previous one left a host that can be migrated again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrateIT {
    static ControlledDaemon daemon;
    static Map<String, String> seeded;

    @BeforeAll
    static void seed() {
        daemon = ControlledDaemon.start("overlay2");
        MigrationScenario.seed(daemon, false);
        seeded = MigrationScenario.snapshot(daemon);
        assertEquals(MigrationScenario.PAGE, MigrationScenario.fetchPage(daemon));
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    @Order(1)
    void movesToANewDataRootOnAFreshXfsDisk() {
        LoopFilesystem xfs = daemon.disk("xfs", "xfs", 512);
        Path newRoot = xfs.mountPoint().resolve("docker");
        Path oldRoot = Path.of(daemon.info("{{.DockerRootDir}}"));
        Path dir = daemon.workDir("to-xfs");

        String oldBridge = "br-" + daemon.dockerOk("network", "inspect", "--format", "{{.Id}}", "appnet").substring(0, 12);

        Run run = MigrationScenario.migrate(daemon, dir, "overlay2", newRoot);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.summary().path("changed").asBoolean(), run::toString);
        assertFalse(Files.exists(Path.of("/sys/class/net", oldBridge)), "the old appnet's bridge is gone: with the"
                + " same subnet as the recreated network, it would take its traffic");

        assertEquals(newRoot.toString(), daemon.info("{{.DockerRootDir}}"));
        assertEquals("overlay2", daemon.info("{{.Driver}}"));
        assertEquals("xfs", daemon.info("{{range .DriverStatus}}{{if eq (index . 0) \"Backing Filesystem\"}}"
                + "{{index . 1}}{{end}}{{end}}"));
        assertEquals(newRoot.toString(), daemon.config().path("data-root").asText());
        assertEquals(seeded, MigrationScenario.snapshot(daemon), "same images, tags, containers, volumes, networks");
        assertEquals(MigrationScenario.PAGE, MigrationScenario.fetchPage(daemon), "the web container serves again");
        MigrationScenario.assertVerified(daemon, dir);
        assertTrue(Files.isDirectory(oldRoot.resolve("image")), "a move to a new data-root leaves the"
                + " old one as it was, for the operator to remove once satisfied");
        assertTrue(run.stdout().contains("stowage storage reset --dir " + dir + " --data-root " + oldRoot), run::toString);

        // what the migration says to do next: reset the old data-root, with the daemon running on the new one
        Run reset = StowageProcess.run("storage", "reset", "--host", daemon.host(), "--dir", dir.toString(),
                "--data-root", oldRoot.toString(), "--yes", "--json");
        assertEquals(0, reset.exitCode(), reset::toString);
        assertEquals(List.of(), list(oldRoot), "the old data-root is empty");
        assertEquals(newRoot.toString(), daemon.info("{{.DockerRootDir}}"), "the daemon was left running");
        assertEquals(MigrationScenario.PAGE, MigrationScenario.fetchPage(daemon));

        Run again = MigrationScenario.migrate(daemon, dir, "overlay2", newRoot);
        assertEquals(0, again.exitCode(), again::toString);
        assertFalse(again.summary().path("changed").asBoolean(true), again::toString);
    }

    @Test
    @Order(2)
    void movesFromOverlay2ToVfsInPlaceThroughAReset() throws IOException {
        Path root = Path.of(daemon.info("{{.DockerRootDir}}"));
        Path dir = daemon.workDir("to-vfs");

        Run run = MigrationScenario.migrate(daemon, dir, "vfs", null);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.summary().path("changed").asBoolean(), run::toString);
        assertTrue(run.jsonLines().stream().anyMatch(n -> n.path("operation").asText().equals("reset")),
                "the old content was reset: " + run);

        assertEquals(root.toString(), daemon.info("{{.DockerRootDir}}"));
        assertEquals("vfs", daemon.info("{{.Driver}}"));
        assertEquals("vfs", daemon.config().path("storage-driver").asText());
        assertFalse(Files.exists(root.resolve("overlay2")), "nothing of the overlay2 storage is left");
        assertEquals(seeded, MigrationScenario.snapshot(daemon));
        assertEquals(MigrationScenario.PAGE, MigrationScenario.fetchPage(daemon));
        MigrationScenario.assertVerified(daemon, dir);

        Run again = MigrationScenario.migrate(daemon, dir, "vfs", null);
        assertEquals(0, again.exitCode(), again::toString);
        assertFalse(again.summary().path("changed").asBoolean(true), again::toString);
    }

    @Test
    @Order(3)
    void movesToBtrfsOnABtrfsDisk() {
        LoopFilesystem btrfs = daemon.disk("btrfs", "btrfs", 512);
        Path newRoot = btrfs.mountPoint().resolve("docker");
        Path dir = daemon.workDir("to-btrfs");

        Run run = MigrationScenario.migrate(daemon, dir, "btrfs", newRoot);
        assertEquals(0, run.exitCode(), run::toString);

        assertEquals(newRoot.toString(), daemon.info("{{.DockerRootDir}}"));
        assertEquals("btrfs", daemon.info("{{.Driver}}"));
        assertEquals(seeded, MigrationScenario.snapshot(daemon));
        assertEquals(MigrationScenario.PAGE, MigrationScenario.fetchPage(daemon));
        MigrationScenario.assertVerified(daemon, dir);
        assertTrue(Shell.run("btrfs", "subvolume", "list", btrfs.mountPoint().toString()).contains("docker/btrfs/"),
                "the layers are btrfs subvolumes");
    }

    /**
     * The start script passes {@code --storage-driver} while migrate writes the driver into
     * daemon.json: dockerd refuses to start. The run must stop at once and quote dockerd, and once
     * the flag is gone, the same command carries on.
     */
    @Test
    @Order(4)
    void aStartFlagThatClashesWithDaemonJsonStopsTheStartAndQuotesTheDaemon() {
        try (ControlledDaemon flagged = ControlledDaemon.prepare("overlay2")) {
            ObjectNode config = flagged.config();
            config.remove("storage-driver");
            flagged.writeConfig(config);
            flagged.writeStartScript(List.of("--storage-driver", "overlay2"));
            flagged.startAndWait();
            ImageFixtures.base(flagged);
            Map<String, String> images = flagged.imageTable();
            Path dir = flagged.workDir("clash");

            long start = System.nanoTime();
            Run run = MigrationScenario.migrate(flagged, dir, "vfs", null);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertEquals(5, run.exitCode(), run::toString);
            String message = run.error().path("message").asText();
            assertTrue(message.contains("failed to start"), message);
            assertTrue(message.contains("the following directives are specified both as a flag and in the"
                    + " configuration file: storage-driver: (from flag: overlay2, from file: vfs)"), message);
            assertTrue(run.error().path("hint").asText().contains("remove it from the daemon's flags"), run::toString);
            assertTrue(seconds < 40, "failed as soon as dockerd gave up, not after --daemon-timeout: " + seconds + " s");
            assertFalse(flagged.answers());
            Run status = StowageProcess.run("storage", "status", "--dir", dir.toString(), "--json");
            assertEquals(0, status.exitCode(), status::toString);
            assertTrue(status.summary().path("next").asText().startsWith("start-daemon:"), status::toString);

            flagged.writeStartScript(List.of());
            Run rerun = MigrationScenario.migrate(flagged, dir, "vfs", null);
            assertEquals(0, rerun.exitCode(), rerun::toString);
            assertEquals("vfs", flagged.info("{{.Driver}}"));
            assertEquals(images, flagged.imageTable());
            MigrationScenario.assertVerified(flagged, dir);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
