package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.testing.ControlledDaemon;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.LoopFilesystem;
import dev.stowage.testing.Mounts;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code stowage storage reset} on a real daemon whose data-root is a filesystem of its own (a loop
 * device mounted at the data-root, as on a host with a disk for Docker). Every refusal is checked
 * against a listing of the data-root made before and after: nothing may go. The refusals come first,
 * then the resets that delete, each with an export made for it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetIT {
    static ControlledDaemon daemon;
    static LoopFilesystem disk;
    static Path dataRoot;
    static Path export;

    @BeforeAll
    static void daemonOnItsOwnDisk() {
        daemon = ControlledDaemon.prepare("overlay2");
        disk = daemon.disk("docker", "ext4", 300);
        dataRoot = disk.mountPoint();
        ObjectNode config = daemon.config();
        config.put("data-root", dataRoot.toString());
        daemon.writeConfig(config);
        daemon.startAndWait();
        ImageFixtures.base(daemon);
        daemon.dockerOk("volume", "create", "keep");
        daemon.dockerOk("run", "-d", "--name", "sleeper", "--network", "none", "-v", "keep:/keep", ImageFixtures.BASE,
                "sh", "-c", "echo kept > /keep/file; trap 'exit 0' TERM; sleep 3600 & wait");
        export = exportInto("export");
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static Path exportInto(String name) {
        Path dir = daemon.workDir(name);
        Run run = StowageProcess.run("storage", "export", "--host", daemon.host(), "--dir", dir.toString(), "--json");
        assertEquals(0, run.exitCode(), run::toString);
        return dir;
    }

    @Test
    @Order(1)
    void refusedWhileTheDaemonRuns() {
        String before = listing(dataRoot);
        Run run = reset(export, "--yes");
        assertEquals(3, run.exitCode(), run::toString);
        assertTrue(run.error().path("message").asText().contains("is running"), run::toString);
        assertTrue(run.error().path("hint").asText().contains("--stop-daemon"), run::toString);
        assertTrue(daemon.answers(), "the daemon was left running");
        assertEquals(before, listing(dataRoot), "nothing was deleted");
    }

    @Test
    @Order(2)
    void refusedWithoutAnExport() {
        daemon.stop();
        String before = listing(dataRoot);
        Run run = reset(daemon.workDir("empty"), "--data-root", dataRoot.toString(), "--yes");
        assertEquals(3, run.exitCode(), run::toString);
        assertTrue(run.error().path("message").asText().contains("there is no finished export"), run::toString);
        assertEquals(before, listing(dataRoot), "nothing was deleted");
    }

    @Test
    @Order(3)
    void refusedWithACorruptedExport() throws IOException {
        Path corrupt = daemon.workDir("corrupt");
        Shell.run("cp", "-a", export + "/.", corrupt.toString());
        Path blob = largestBlob(corrupt);
        try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int b = file.read();
            file.seek(middle);
            file.write(b ^ 0x01);
        }
        String before = listing(dataRoot);
        Run run = reset(corrupt, "--yes");
        assertEquals(3, run.exitCode(), run::toString);
        String message = run.error().path("message").asText();
        assertTrue(message.contains("reset refused") && message.contains(blob.getFileName().toString()), message);
        assertEquals(before, listing(dataRoot), "nothing was deleted");
    }

    @Test
    @Order(4)
    void refusedWhenTheMigrationDirIsInsideTheDataRoot() {
        Path inside = dataRoot.resolve("stowage-export");
        Shell.run("cp", "-a", export.toString(), inside.toString());
        try {
            String before = listing(dataRoot);
            Run run = reset(inside, "--yes");
            assertEquals(3, run.exitCode(), run::toString);
            assertTrue(run.error().path("message").asText().contains("lies inside the data-root"), run::toString);
            assertEquals(before, listing(dataRoot), "nothing was deleted");
        } finally {
            Shell.run("rm", "-rf", inside.toString());
        }
    }

    @Test
    @Order(5)
    void refusedWithoutYesWhenThereIsNoTerminalToAsk() {
        String before = listing(dataRoot);
        Run run = reset(export);
        assertEquals(3, run.exitCode(), run::toString);
        assertTrue(run.error().path("message").asText().contains("confirmation needed"), run::toString);
        assertTrue(run.error().path("hint").asText().contains("--yes"), run::toString);
        assertEquals(before, listing(dataRoot), "nothing was deleted");
    }

    @Test
    @Order(6)
    void dryRunShowsWhatWouldGoAndDeletesNothing() {
        String before = listing(dataRoot);
        Run run = reset(export, "--dry-run");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.summary().path("dry_run").asBoolean(), run::toString);
        assertEquals(dataRoot.toString(), run.summary().path("data_root").asText());
        assertTrue(run.summary().path("bytes").asLong() > 1_000_000, run::toString);
        assertEquals(before, listing(dataRoot), "nothing was deleted");
    }

    /**
     * With {@code --stop-daemon} the running daemon is stopped first; mounts left below the
     * data-root are unmounted; the data-root, a mount point, is emptied and stays mounted.
     */
    @Test
    @Order(7)
    void stopDaemonThenEmptiesAMountPointDataRootAndUnmountsLeftovers() throws IOException {
        daemon.startAndWait();
        Path underDriver = Files.createDirectories(dataRoot.resolve("overlay2/stowage-leftover"));
        Path underImage = Files.createDirectories(dataRoot.resolve("image/stowage-leftover"));
        Shell.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", underDriver.toString());
        Shell.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", underImage.toString());
        Files.writeString(underImage.resolve("file"), "on a leftover mount");

        Run run = reset(export, "--stop-daemon", "--yes", "--stop-command", daemon.stopScript().toString(),
                "--start-command", daemon.startScript().toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(daemon.answers(), "--stop-daemon stopped it");
        assertEquals(List.of(dataRoot), Mounts.under(dataRoot), "leftover mounts gone, the data-root's own kept");
        assertTrue(disk.mounted());
        assertEquals("", listing(dataRoot).strip(), "the data-root is empty");
        assertEquals(dataRoot.toString(), run.summary().path("data_root").asText());
        assertFalse(run.summary().path("keep_old").asBoolean(true));
    }

    /** {@code --keep-old} on a mount point: the old content moves into a directory inside it. */
    @Test
    @Order(8)
    void keepOldOnAMountPointMovesTheContentAsideInsideIt() throws IOException {
        daemon.startAndWait();
        ImageFixtures.base(daemon);
        Path second = exportInto("export-2");
        daemon.stop();
        String before = listing(dataRoot);

        Run run = reset(second, "--keep-old", "--yes");
        assertEquals(0, run.exitCode(), run::toString);
        List<Path> entries = list(dataRoot);
        assertEquals(1, entries.size(), entries::toString);
        Path aside = entries.get(0);
        assertTrue(aside.getFileName().toString().startsWith(".stowage-old-"), aside::toString);
        assertTrue(disk.mounted());
        assertEquals(before, listing(aside), "the old content, whole, under " + aside);
        assertEquals(aside.toString(), run.summary().path("kept_at").asText(), run::toString);
    }

    /** {@code --keep-old} on a plain directory: it is renamed aside and an empty one takes its place. */
    @Test
    @Order(9)
    void keepOldOnAPlainDirectoryRenamesItAside() throws IOException {
        Path plain = daemon.root().resolve("plain-data");
        ObjectNode config = daemon.config();
        config.put("data-root", plain.toString());
        daemon.writeConfig(config);
        daemon.startAndWait();
        ImageFixtures.base(daemon);
        Path third = exportInto("export-3");
        daemon.stop();
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(plain));
        String before = listing(plain);

        Run run = reset(third, "--keep-old", "--yes");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of(), list(plain), "an empty data-root in its place");
        assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)));
        List<Path> aside = list(plain.getParent()).stream()
                .filter(p -> p.getFileName().toString().startsWith("plain-data.stowage-old-")).toList();
        assertEquals(1, aside.size(), aside::toString);
        assertEquals(before, listing(aside.get(0)), "the old content, whole, at " + aside.get(0));
        assertEquals(aside.get(0).toString(), run.summary().path("kept_at").asText(), run::toString);
    }

    private static Run reset(Path dir, String... options) {
        List<String> args = new ArrayList<>(List.of("storage", "reset", "--host", daemon.host(), "--dir", dir.toString(),
                "--json"));
        args.addAll(List.of(options));
        return StowageProcess.run(args.toArray(new String[0]));
    }

    /** Every path under {@code root} (on its filesystem) with its type and size, sorted: made by find. */
    private static String listing(Path root) {
        return Shell.run("sh", "-c", "cd '" + root + "' && find . -xdev -mindepth 1 -printf '%P %y %s\\n' | LC_ALL=C sort");
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }

    private static Path largestBlob(Path dir) throws IOException {
        try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
            return blobs.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
    }
}
