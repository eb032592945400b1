package dev.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.config.ConfigHome;
import dev.stowage.config.DaemonConfig;
import dev.stowage.config.HostLayout;
import dev.stowage.config.StorageEdit;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.LoopFilesystem;
import dev.stowage.testing.Mounts;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stowage storage modify} through the packaged launcher, judged by a real dockerd: the daemon
 * starts with what modify wrote, and refuses what modify refused.
 */
class ModifyIT {
    private Path work;
    private Path host;
    private Path config;

    @BeforeEach
    void workDir() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "stowage-modify-it-");
        host = Files.createDirectories(work.resolve("host"));
        config = work.resolve("daemon.json");
    }

    @AfterEach
    void cleanUp() {
        Mounts.unmountUnder(work);
        Shell.quietly("rm", "-rf", "--one-file-system", work.toString());
    }

    @Test
    void dockerdStartsWithTheDriverAndDataRootModifyWrote() throws IOException {
        Files.writeString(config, "{\n  \"log-level\": \"warn\",\n  \"storage-driver\": \"vfs\",\n  \"data-root\": \""
                + work.resolve("old-root") + "\"\n}\n");
        try (PrivateDaemon before = PrivateDaemon.startWithConfig(config, null, null)) {
            assertEquals("vfs " + work.resolve("old-root"), info(before));
        }
        try (LoopFilesystem xfs = LoopFilesystem.xfs(work.resolve("xfs"), 512)) {
            Path dataRoot = xfs.mountPoint().resolve("docker");

            StowageProcess.Run run = modify("--driver", "overlay2", "--data-root", dataRoot.toString());

            assertEquals(0, run.exitCode(), run.toString());
            JsonNode summary = run.summary();
            assertTrue(summary.path("changed").asBoolean(), summary.toString());
            assertTrue(Files.exists(Path.of(summary.path("files").get(0).path("backup").asText())), summary.toString());
            assertTrue(checks(summary).containsAll(List.of("xfs_ftype", "d_type", "overlay_mount")), summary.toString());
            assertEquals("{\n  \"log-level\": \"warn\",\n  \"storage-driver\": \"overlay2\",\n  \"data-root\": \""
                    + dataRoot + "\"\n}\n", Files.readString(config), "every other key kept, in place");

            try (PrivateDaemon after = PrivateDaemon.startWithConfig(config, null, null)) {
                assertEquals("overlay2 " + dataRoot, info(after));
                String status = after.dockerOk("info", "--format", "{{json .DriverStatus}}");
                assertTrue(status.contains("[\"Backing Filesystem\",\"xfs\"]"), status);
                assertTrue(status.contains("[\"Supports d_type\",\"true\"]"), status);
                ImageFixtures.base(after);
                assertEquals("written on overlay2", after.dockerOk("run", "--rm", "--network", "none", ImageFixtures.BASE,
                        "sh", "-c", "echo written on overlay2 > /tmp/f && cat /tmp/f"));
            }
        }
    }

    /** The drop-in resets ExecStart and adds a storage flag: a daemon.json driver would collide with it. */
    @Test
    void aFlagInTheUnitThatDaemonJsonWouldAlsoSetIsDetected() throws IOException {
        write("/lib/systemd/system/docker.service", "[Service]\nType=notify\nEnvironmentFile=-/etc/default/docker\n"
                + "ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS\n");
        Path dropIn = write("/etc/systemd/system/docker.service.d/10-storage.conf",
                "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --storage-driver vfs\n");
        String original = "{\n  \"log-level\": \"warn\",\n  \"data-root\": \"" + work.resolve("root") + "\"\n}\n";
        Files.writeString(config, original);

        StowageProcess.Run run = modify("--driver", "overlay2");

        assertEquals(3, run.exitCode(), run.toString());
        String message = run.error().path("message").asText();
        assertTrue(message.contains("--storage-driver vfs (ExecStart in " + dropIn + ") and \"storage-driver\""), message);
        assertTrue(message.contains("specified both as a flag and in the configuration file"), message);
        assertTrue(run.error().path("hint").asText().contains("empty `ExecStart=`"), run.toString());
        assertEquals(original, Files.readString(config), "nothing written");
        assertEquals(1, listing(work).stream().filter(p -> p.getFileName().toString().startsWith("daemon.json")).count());

        // what modify would have written, given to dockerd with the unit's flag: dockerd refuses it
        String planned = DaemonConfig.read(HostLayout.under(host, config))
                .plan(new StorageEdit(Optional.of("overlay2"), Optional.empty(), List.of(), false, ConfigHome.AUTO))
                .edits().get(0).after();
        Path wouldBe = work.resolve("would-be.json");
        Files.writeString(wouldBe, planned);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> PrivateDaemon.startWithConfig(wouldBe, "vfs", null).close());
        assertTrue(refused.getMessage().contains("the following directives are specified both as a flag and in the"
                + " configuration file"), refused.getMessage());
    }

    /**
     * A RHEL host whose daemon.json and docker-storage both set the driver (dockerd would not start):
     * modify writes the new driver to docker-storage, removes the copy from daemon.json, and dockerd
     * starts with the flag docker-storage now holds.
     */
    @Test
    void onARhelHostTheDriverMovesToDockerStorageAndDockerdStarts() throws IOException {
        write("/usr/lib/systemd/system/docker.service", "[Service]\nEnvironmentFile=-/etc/sysconfig/docker\n"
                + "EnvironmentFile=-/etc/sysconfig/docker-storage\n"
                + "ExecStart=/usr/bin/dockerd-current $OPTIONS \\\n          $DOCKER_STORAGE_OPTIONS\n");
        Path storage = write("/etc/sysconfig/docker-storage",
                "# generated by docker-storage-setup\nDOCKER_STORAGE_OPTIONS=\"--storage-driver vfs \"\n");
        try (LoopFilesystem xfs = LoopFilesystem.xfs(work.resolve("xfs"), 512)) {
            Path dataRoot = xfs.mountPoint().resolve("docker");
            Files.writeString(config, "{\"storage-driver\": \"vfs\", \"log-level\": \"warn\"}\n");

            StowageProcess.Run run = modify("--driver", "overlay2", "--data-root", dataRoot.toString());

            assertEquals(0, run.exitCode(), run.toString());
            assertEquals("{\"log-level\": \"warn\", \"data-root\": \"" + dataRoot + "\"}\n", Files.readString(config));
            String options = Shell.run("bash", "-c", ". " + storage + "; echo $DOCKER_STORAGE_OPTIONS").trim();
            assertEquals("--storage-driver overlay2", options);
            assertTrue(run.summary().path("findings").toString().contains("moved to DOCKER_STORAGE_OPTIONS"), run.toString());

            try (PrivateDaemon daemon = PrivateDaemon.startWithConfig(config, options.split(" ")[1], null)) {
                assertEquals("overlay2 " + dataRoot, info(daemon));
            }
        }
    }

    @Test
    void overlay2OnAnOverlayfsDataRootIsRefusedAndNothingChanges() throws IOException {
        for (String d : List.of("lower", "upper", "ovlwork", "merged")) {
            Files.createDirectories(work.resolve(d));
        }
        Shell.run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + work.resolve("lower") + ",upperdir="
                + work.resolve("upper") + ",workdir=" + work.resolve("ovlwork"), work.resolve("merged").toString());
        Files.writeString(config, "{\"storage-driver\": \"vfs\"}\n");

        StowageProcess.Run run = modify("--driver", "overlay2", "--data-root", work.resolve("merged/docker").toString());

        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.error().path("message").asText().contains("overlay2 cannot keep its layers on overlay"), run.toString());
        assertTrue(run.error().path("message").asText().contains("driver not supported"), run.toString());
        assertEquals("{\"storage-driver\": \"vfs\"}\n", Files.readString(config));
    }

    private StowageProcess.Run modify(String... args) {
        List<String> all = new ArrayList<>(List.of("--json", "storage", "modify", "--root", host.toString(),
                "--config-file", config.toString()));
        all.addAll(List.of(args));
        return StowageProcess.run(all.toArray(new String[0]));
    }

    private Path write(String hostPath, String content) throws IOException {
        Path file = host.resolve(hostPath.substring(1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private static String info(PrivateDaemon daemon) {
        return daemon.dockerOk("info", "--format", "{{.Driver}} {{.DockerRootDir}}");
    }

    private static List<String> checks(JsonNode summary) {
        List<String> checks = new ArrayList<>();
        summary.path("findings").forEach(f -> checks.add(f.path("check").asText()));
        return checks;
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
