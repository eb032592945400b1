package dev.stowage.phase;

import static dev.stowage.phase.StorageChecks.assertSucceeded;
import static dev.stowage.phase.StorageChecks.assertVerified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.testing.ContainerListing;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.HostFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A whole host, end to end on real engines: containers in every state, volumes with every kind of
 * metadata, user-defined networks; exported from overlay2, imported into vfs (and into a fresh
 * overlay2), then judged by the engine and host tools: same files, same metadata, same states, the
 * web container serving again through its published port.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageRoundTripIT {
    static final HostFixtures fixture = new HostFixtures();
    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", fixture::seed);
    @RegisterExtension
    static DockerdExtension target = DockerdExtension.empty("vfs");

    static Path work;
    static Path dir;

    @BeforeAll
    static void workDir() throws IOException {
        work = Files.createTempDirectory("stowage-storage-it");
        dir = work.resolve("export");
    }

    @AfterAll
    static void removeWork() {
        Shell.quietly("rm", "-rf", work.toString());
    }

    @Test
    @Order(1)
    void exportRecordsEveryContainerVolumeAndNetworkAndStopsWhatRan() throws IOException {
        Run run = StorageChecks.export(source.daemon(), dir);
        assertSucceeded(run);
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());

        Map<String, String> states = new HashMap<>();
        manifest.path("containers").forEach(c -> states.put(c.path("name").asText(), c.path("state").asText()));
        assertEquals(HostFixtures.STATES, states, "every container, with the state it had before the export");

        Set<String> volumes = new TreeSet<>();
        Set<String> anonymous = new TreeSet<>();
        manifest.path("volumes").forEach(v -> {
            volumes.add(v.path("name").asText());
            if (v.path("anonymous").asBoolean()) {
                anonymous.add(v.path("name").asText());
            }
        });
        String anon = HostFixtures.volumeAt(source.daemon(), HostFixtures.ANON_USER, "/data");
        assertEquals(new TreeSet<>(List.of(HostFixtures.WEB_DATA, HostFixtures.WEB_LOGS, HostFixtures.BULK, anon)),
                volumes);
        assertEquals(Set.of(anon), anonymous);
        Set<String> networks = new TreeSet<>();
        manifest.path("networks").forEach(n -> networks.add(n.path("name").asText()));
        assertEquals(Set.of(HostFixtures.APPNET, HostFixtures.BACKNET), networks, "user-defined networks only");

        assertEquals(3, run.summary().path("containers_stopped").asInt(), run::toString);
        for (String name : List.of(HostFixtures.WEB, HostFixtures.NETTED, HostFixtures.PAUSED)) {
            assertEquals("exited", StorageChecks.status(source.daemon(), name), name + " was stopped for the copy");
        }
    }

    @Test
    @Order(2)
    void importIntoVfsRestoresFilesMetadataConfigsNetworksAndStates() throws Exception {
        PrivateDaemon daemon = target.daemon();
        Run run = StorageChecks.importInto(daemon, dir);
        assertSucceeded(run);
        assertTrue(run.summary().path("verified").asBoolean(), run::toString);
        assertVerified(daemon, dir);

        StorageChecks.assertSeededStates(daemon);
        assertEquals(HostFixtures.WEB_PAGE, StorageChecks.httpGet(fixture.webPort(), "/index.html"));
        assertEquals(HostFixtures.VOLUME_PAGE, StorageChecks.httpGet(fixture.webPort(), "/data/page.html"));
        StorageChecks.assertConfigsMatch(source.daemon(), daemon, fixture);
        StorageChecks.assertAliasResolves(daemon, fixture);
        StorageChecks.assertVolumesMatch(source.daemon(), daemon);
        StorageChecks.assertFilesystemsMatch(source.daemon(), daemon);
        assertEquals("vfs", daemon.dockerOk("info", "-f", "{{.Driver}}"));
    }

    @Test
    @Order(3)
    void rerunOfImportChangesNothing() {
        PrivateDaemon daemon = target.daemon();
        String ids = daemon.dockerOk("ps", "-a", "--no-trunc", "--format", "{{.Names}} {{.ID}} {{.State}}");
        String volumes = daemon.dockerOk("volume", "ls", "--format", "{{.Name}} {{.Mountpoint}}");
        String inode = StorageChecks.stat(HostFixtures.mountpoint(daemon, HostFixtures.BULK), "%i %Y", "d000/f000");

        Run again = StorageChecks.importInto(daemon, dir);
        assertSucceeded(again);
        List<String> acted = again.jsonLines().stream()
                .filter(n -> n.path("message_type").asText().equals("status") && n.has("action"))
                .filter(n -> !Set.of("present", "reused").contains(n.path("action").asText()))
                .map(JsonNode::toString).toList();
        assertEquals(List.of(), acted, "nothing was created, filled, loaded or started again");
        assertEquals(0, again.summary().path("images_loaded").asInt());
        assertEquals(ids, daemon.dockerOk("ps", "-a", "--no-trunc", "--format", "{{.Names}} {{.ID}} {{.State}}"));
        assertEquals(volumes, daemon.dockerOk("volume", "ls", "--format", "{{.Name}} {{.Mountpoint}}"));
        assertEquals(inode, StorageChecks.stat(HostFixtures.mountpoint(daemon, HostFixtures.BULK), "%i %Y", "d000/f000"));
        StorageChecks.assertSeededStates(daemon);
    }

    @Test
    @Order(4)
    void verifyNamesAChangedVolumeAndAContainerThatStopped() throws IOException {
        PrivateDaemon daemon = target.daemon();
        Path file = HostFixtures.mountpoint(daemon, HostFixtures.BULK).resolve("d007/f007");
        Files.writeString(file, "tampered\n");
        Run changed = StorageChecks.verify(daemon, dir);
        assertEquals(6, changed.exitCode(), changed::toString);
        List<String> warnings = StorageChecks.warnings(changed);
        assertEquals(1, warnings.size(), changed::toString);
        assertTrue(warnings.get(0).startsWith("volume " + HostFixtures.BULK + ":"), warnings::toString);
        assertEquals(1, changed.summary().path("differences").asInt());
        assertTrue(changed.error().path("message").asText().contains("1 difference"), changed::toString);

        daemon.dockerOk("stop", "-t", "1", HostFixtures.WEB);
        Run stopped = StorageChecks.verify(daemon, dir);
        assertEquals(6, stopped.exitCode(), stopped::toString);
        assertTrue(StorageChecks.warnings(stopped).contains("container " + HostFixtures.WEB
                + ": not running, expected running"), stopped::toString);
        assertEquals(2, stopped.summary().path("differences").asInt(), stopped::toString);
    }

    @Test
    @Order(5)
    void overlayToOverlayKeepsDeletionsAsWhiteouts() throws Exception {
        try (PrivateDaemon overlay = PrivateDaemon.start("overlay2")) {
            Run run = StorageChecks.importInto(overlay, dir);
            assertSucceeded(run);
            assertVerified(overlay, dir);
            StorageChecks.assertSeededStates(overlay);
            assertEquals(HostFixtures.VOLUME_PAGE, StorageChecks.httpGet(fixture.webPort(), "/data/page.html"));
            StorageChecks.assertVolumesMatch(source.daemon(), overlay);
            StorageChecks.assertFilesystemsMatch(source.daemon(), overlay);
            StorageChecks.assertConfigsMatch(source.daemon(), overlay, fixture);

            Path upper = ContainerListing.layerDir(overlay, HostFixtures.CHANGER);
            assertEquals("character special file 0,0", StorageChecks.stat(upper, "%F %t,%T", "etc/app/remove-me"),
                    "a deletion is an overlay whiteout");
            assertEquals("character special file 0,0", StorageChecks.stat(upper, "%F %t,%T", "opt/olddir"));
            // the engine lists a directory deleted and made again as its lower children deleted
            assertEquals("character special file 0,0", StorageChecks.stat(upper, "%F %t,%T", "opt/opaque/x"),
                    "the remade directory hides its lower content");
            assertEquals("regular file", StorageChecks.stat(upper, "%F", "opt/opaque/new"));
        }
    }

    @Test
    @Order(6)
    void noStartLeavesEveryContainerStopped() {
        try (PrivateDaemon fresh = PrivateDaemon.start("vfs")) {
            Run run = StorageChecks.importInto(fresh, dir, "--no-start");
            assertSucceeded(run);
            StorageChecks.assertNothingRuns(fresh);
            assertEquals(new TreeSet<>(HostFixtures.STATES.keySet()),
                    new TreeSet<>(List.of(fresh.dockerOk("ps", "-a", "--format", "{{.Names}}").split("\n"))));
        }
    }
}
