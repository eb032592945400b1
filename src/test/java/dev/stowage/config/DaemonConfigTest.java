package dev.stowage.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ExitCode;
import dev.stowage.model.Precheck;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning and applying edits on a scratch host: daemon.json, docker-storage and the unit together. */
class DaemonConfigTest {
    private static final String JSON = "{\n"
            + "  \"log-level\": \"warn\",\n"
            + "  \"storage-driver\": \"devicemapper\",\n"
            + "  \"storage-opts\": [\n"
            + "    \"dm.basesize=20G\",\n"
            + "    \"dm.fs=xfs\"\n"
            + "  ],\n"
            + "  \"live-restore\": true\n"
            + "}\n";
    private static final String DAEMON_JSON = "/etc/docker/daemon.json";
    private static final String STORAGE = "/etc/sysconfig/docker-storage";

    @TempDir
    Path dir;

    @Test
    void anEditKeepsEveryOtherKeyBacksUpOnceAndKeepsModeAndOwner() throws IOException {
        HostRoot host = new HostRoot(dir).write(DAEMON_JSON, JSON);
        Path file = host.path(DAEMON_JSON);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
                .setOwner(file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("daemon"));

        DaemonConfig config = host.config();
        ConfigChange change = config.plan(edit("overlay2", "/srv/docker", List.of(), true));
        List<DaemonConfig.Applied> applied = config.apply(change);

        assertEquals("{\n  \"log-level\": \"warn\",\n  \"storage-driver\": \"overlay2\",\n  \"live-restore\": true,\n"
                + "  \"data-root\": \"/srv/docker\"\n}\n", host.read(DAEMON_JSON));
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
        assertEquals("rw-r-----", PosixFilePermissions.toString(attributes.permissions()));
        assertEquals("daemon", attributes.owner().getName());
        Path backup = applied.get(0).backup().orElseThrow();
        assertEquals(JSON, Files.readString(backup));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertTrue(backup.getFileName().toString().matches("daemon\\.json\\.stowage-\\d{8}T\\d{6}Z\\.bak"), backup.toString());

        List<DaemonConfig.Applied> again = config.apply(change);
        assertFalse(again.get(0).written(), "applying the same change twice writes nothing");
        assertEquals(1, backups(file).size(), "and takes no second backup");
        assertTrue(host.config().plan(edit("overlay2", "/srv/docker", List.of(), true)).isEmpty(),
                "planning the same edit again after it was applied changes nothing");
    }

    @Test
    void storageOptionsAreMergedByKeyOrCleared() {
        HostRoot host = new HostRoot(dir).write(DAEMON_JSON, JSON);

        assertEquals(List.of("dm.basesize=30G", "dm.fs=xfs", "dm.min_free_space=5%"), host.config()
                .plan(edit(null, null, List.of("dm.basesize=30G", "dm.min_free_space=5%"), false)).after().storageOpts());
        assertEquals(List.of("overlay2.size=10G"),
                host.config().plan(edit(null, null, List.of("overlay2.size=10G"), true)).after().storageOpts());
        ConfigChange cleared = host.config().plan(edit(null, null, List.of(), true));
        assertFalse(cleared.edits().get(0).after().contains("storage-opts"), "an empty list removes the key");
        assertEquals(List.of("storage-opts: [dm.basesize=20G, dm.fs=xfs] -> (unset)"), cleared.edits().get(0).changes());
    }

    @Test
    void aMissingDaemonJsonIsCreatedReadableByAll() throws IOException {
        HostRoot host = new HostRoot(dir);
        DaemonConfig config = host.config();
        ConfigChange change = config.plan(edit("vfs", null, List.of(), false));

        assertTrue(change.edits().get(0).creates());
        assertTrue(change.diff().startsWith("--- /dev/null\n"), change.diff());
        List<DaemonConfig.Applied> applied = config.apply(change);
        assertEquals("{\n  \"storage-driver\": \"vfs\"\n}\n", host.read(DAEMON_JSON));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(host.path(DAEMON_JSON))));
        assertEquals(Optional.empty(), applied.get(0).backup());
    }

    @Test
    void theOldGraphKeyMakesWayForDataRoot() {
        HostRoot host = new HostRoot(dir).write(DAEMON_JSON, "{\"graph\": \"/old\", \"debug\": true}");
        ConfigChange change = host.config().plan(edit(null, "/new", List.of(), false));

        assertEquals("{\"debug\": true, \"data-root\": \"/new\"}", change.edits().get(0).after());
        assertEquals(Optional.of("/old"), change.before().dataRoot());
    }

    @Test
    void aFlagInTheUnitThatTheEditWouldDuplicateBlocksIt() {
        HostRoot host = new HostRoot(dir).write("/lib/systemd/system/docker.service", HostRoot.DEBIAN_UNIT)
                .write("/etc/systemd/system/docker.service.d/storage.conf",
                        "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --storage-driver overlay2\n");
        ConfigChange change = host.config().plan(edit("vfs", null, List.of(), false));

        Precheck blocker = change.blockers().get(0);
        assertEquals("flag_conflict", blocker.check());
        assertTrue(blocker.message().contains("--storage-driver overlay2 (ExecStart in " + host.path(
                "/etc/systemd/system/docker.service.d/storage.conf") + ") and \"storage-driver\""), blocker.message());
        assertTrue(blocker.message().contains(ConflictCheck.DOCKERD_MESSAGE), blocker.message());
        assertTrue(blocker.remedy().contains("empty `ExecStart=`"), blocker.remedy());
        assertThrows(StowageException.class, () -> host.config().apply(change));
        assertFalse(Files.exists(host.path(DAEMON_JSON)), "a blocked change writes nothing");
    }

    @Test
    void theOldDataRootFlagCollidesWithTheNewKey() {
        HostRoot host = new HostRoot(dir).write("/lib/systemd/system/docker.service", HostRoot.DEBIAN_UNIT)
                .write("/etc/default/docker", "DOCKER_OPTS=\"-g /data/docker\"\n");
        Precheck blocker = host.config().plan(edit(null, "/srv/docker", List.of(), false)).blockers().get(0);

        assertTrue(blocker.message().startsWith("-g /data/docker ($DOCKER_OPTS from " + host.path("/etc/default/docker")),
                blocker.message());
        assertTrue(blocker.remedy().startsWith("keep each setting in one place: remove -g /data/docker from DOCKER_OPTS"),
                blocker.remedy());
    }

    @Test
    void anUnrelatedConflictAlreadyThereBlocksTooBecauseTheRestartWouldFail() {
        HostRoot host = new HostRoot(dir).write("/lib/systemd/system/docker.service", HostRoot.DEBIAN_UNIT)
                .write(DAEMON_JSON, "{\"hosts\": [\"unix:///var/run/docker.sock\"]}\n");
        List<Precheck> blockers = host.config().plan(edit("overlay2", null, List.of(), false)).blockers();

        assertEquals(1, blockers.size(), blockers.toString());
        assertTrue(blockers.get(0).message().startsWith("-H fd://"), blockers.get(0).message());
        assertTrue(blockers.get(0).message().endsWith("(this is so already)"), blockers.get(0).message());
    }

    @Test
    void onARhelHostTheDriverGoesToDockerStorageAndLeavesDaemonJson() {
        HostRoot host = rhel("DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt dm.fs=xfs\"\n",
                "{\n  \"log-level\": \"info\",\n  \"storage-driver\": \"devicemapper\"\n}\n");
        DaemonConfig config = host.config();
        assertTrue(config.readsStorageSysconfig());
        ConfigChange change = config.plan(edit("overlay2", null, List.of("overlay2.override_kernel_check=true"), true));

        assertFalse(change.blocked(), change.findings().toString());
        assertEquals(List.of(host.path(STORAGE), host.path(DAEMON_JSON)), change.edits().stream().map(FileEdit::path).toList());
        config.apply(change);
        assertEquals("DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 --storage-opt overlay2.override_kernel_check=true\"\n",
                host.read(STORAGE));
        assertEquals("{\n  \"log-level\": \"info\"\n}\n", host.read(DAEMON_JSON),
                "the copy in daemon.json went, or dockerd would refuse to start");
        assertTrue(change.findings().stream().anyMatch(f -> f.check().equals("config_move")), change.findings().toString());
        assertTrue(change.findings().stream().anyMatch(f -> f.message().startsWith("resolved: --storage-driver devicemapper")),
                "the conflict that was there is gone, and the operator is told: " + change.findings());
        assertEquals(Optional.of("overlay2"), host.config().current().driver());
    }

    @Test
    void writingToDaemonJsonMovesTheFlagsOutOfDockerStorage() {
        HostRoot host = rhel("# generated\nDOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper\"\n", null);
        DaemonConfig config = host.config();
        ConfigChange change = config.plan(new StorageEdit(Optional.of("overlay2"), Optional.empty(), List.of(), false,
                ConfigHome.DAEMON_JSON));
        config.apply(change);

        assertEquals("{\n  \"storage-driver\": \"overlay2\"\n}\n", host.read(DAEMON_JSON));
        assertEquals("# generated\nDOCKER_STORAGE_OPTIONS=\"\"\n", host.read(STORAGE));
        assertEquals(List.of(host.path(DAEMON_JSON), host.path(STORAGE)), change.edits().stream().map(FileEdit::path).toList(),
                "the file the setting moves into is written first: after a crash between, dockerd refuses to start"
                        + " rather than start on a default driver");
    }

    @Test
    void aCrashBetweenTheTwoWritesIsFinishedByTheSameEditRunAgain() {
        HostRoot host = rhel("DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper\"\n",
                "{\n  \"storage-driver\": \"devicemapper\",\n  \"debug\": true\n}\n");
        StorageEdit edit = edit("overlay2", null, List.of(), false);
        ConfigChange change = host.config().plan(edit);
        host.config().apply(new ConfigChange(change.edits().subList(0, 1), List.of(), change.before(), change.after()));

        DaemonConfig crashed = host.config();
        assertTrue(crashed.plan(new StorageEdit(Optional.empty(), Optional.of("/x"), List.of(), false, ConfigHome.AUTO))
                .blocked(), "half done, dockerd would refuse to start, and stowage says so");
        ConfigChange rest = crashed.plan(edit);
        assertFalse(rest.blocked(), rest.findings().toString());
        crashed.apply(rest);
        assertEquals("DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2\"\n", host.read(STORAGE));
        assertEquals("{\n  \"debug\": true\n}\n", host.read(DAEMON_JSON));
    }

    @Test
    void theSameSettingWithTwoValuesInTwoPlacesIsRefusedUnlessTheEditChoosesOne() {
        HostRoot host = rhel("DOCKER_STORAGE_OPTIONS=\"-s devicemapper\"\n", "{\"storage-driver\": \"overlay2\"}");

        List<Precheck> blockers = host.config().plan(edit(null, "/srv/docker", List.of(), false)).blockers();
        assertTrue(blockers.stream().anyMatch(b -> b.check().equals("config_duplicate")), blockers.toString());
        assertFalse(host.config().plan(edit("overlay2", "/srv/docker", List.of(), false)).blocked());
    }

    @Test
    void sysconfigIsRefusedWhereDockerdDoesNotReadIt() {
        HostRoot host = new HostRoot(dir).write("/lib/systemd/system/docker.service", HostRoot.DEBIAN_UNIT);
        ConfigChange change = host.config().plan(new StorageEdit(Optional.of("vfs"), Optional.empty(), List.of(), false,
                ConfigHome.SYSCONFIG));

        assertEquals("config_home", change.blockers().get(0).check());
    }

    @Test
    void aConfigFileDockerdDoesNotReadIsRefused() {
        HostRoot host = new HostRoot(dir).write("/etc/systemd/system/docker.service",
                "[Service]\nExecStart=/usr/bin/dockerd --config-file /etc/docker/other.json\n");
        Precheck blocker = host.config().plan(edit("vfs", null, List.of(), false)).blockers().get(0);

        assertEquals("config_file", blocker.check());
        assertTrue(blocker.remedy().endsWith(host.path("/etc/docker/other.json").toString()), blocker.remedy());
    }

    @Test
    void aConfigFileOtherThanTheOneDockerdReadsByDefaultIsWarnedAbout() {
        HostRoot host = new HostRoot(dir).write("/lib/systemd/system/docker.service", HostRoot.DEBIAN_UNIT);
        ConfigChange change = DaemonConfig.read(HostLayout.under(dir, dir.resolve("elsewhere.json")))
                .plan(edit("vfs", null, List.of(), false));

        Precheck warning = change.findings().stream().filter(f -> f.check().equals("config_file")).findFirst().orElseThrow();
        assertEquals(Precheck.Level.WARNING, warning.level());
        assertTrue(warning.message().contains("reads " + host.path(DAEMON_JSON) + ", not " + dir.resolve("elsewhere.json")),
                warning.message());
    }

    @Test
    void aFileChangedSinceThePlanIsLeftAlone() throws IOException {
        HostRoot host = new HostRoot(dir).write(DAEMON_JSON, JSON);
        DaemonConfig config = host.config();
        ConfigChange change = config.plan(edit("overlay2", null, List.of(), true));
        host.write(DAEMON_JSON, "{\"someone\": \"else\"}\n");

        StowageException e = assertThrows(StowageException.class, () -> config.apply(change));
        assertEquals(ExitCode.PRECHECK, e.exitCode());
        assertEquals("{\"someone\": \"else\"}\n", host.read(DAEMON_JSON));
        assertEquals(List.of(), backups(host.path(DAEMON_JSON)));
    }

    @Test
    void aBackupLeftByACrashBeforeTheRenameIsReused() throws IOException {
        HostRoot host = new HostRoot(dir).write(DAEMON_JSON, JSON)
                .write(DAEMON_JSON + ".stowage-20200101T000000Z.bak", JSON);
        DaemonConfig config = host.config();
        List<DaemonConfig.Applied> applied = config.apply(config.plan(edit("overlay2", null, List.of(), true)));

        assertEquals(host.path(DAEMON_JSON + ".stowage-20200101T000000Z.bak"), applied.get(0).backup().orElseThrow());
        assertEquals(1, backups(host.path(DAEMON_JSON)).size());
    }

    @Test
    void aSymlinkedDaemonJsonStaysALinkToTheEditedFile() throws IOException {
        HostRoot host = new HostRoot(dir).write("/srv/config/daemon.json", "{}\n");
        Files.createDirectories(host.path("/etc/docker"));
        Files.createSymbolicLink(host.path(DAEMON_JSON), host.path("/srv/config/daemon.json"));
        DaemonConfig config = host.config();
        config.apply(config.plan(edit("vfs", null, List.of(), false)));

        assertTrue(Files.isSymbolicLink(host.path(DAEMON_JSON)));
        assertEquals("{\n  \"storage-driver\": \"vfs\"\n}\n", host.read("/srv/config/daemon.json"));
    }

    private HostRoot rhel(String storage, String json) {
        HostRoot host = new HostRoot(dir).write("/usr/lib/systemd/system/docker.service", HostRoot.RHEL_UNIT)
                .write(STORAGE, storage);
        return json == null ? host : host.write(DAEMON_JSON, json);
    }

    private static StorageEdit edit(String driver, String dataRoot, List<String> opts, boolean clear) {
        return new StorageEdit(Optional.ofNullable(driver), Optional.ofNullable(dataRoot), opts, clear, ConfigHome.AUTO);
    }

    private static List<Path> backups(Path file) throws IOException {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".bak")).toList();
        }
    }
}
