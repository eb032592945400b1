package dev.stowage.phase;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.archive.Compression;
import dev.stowage.archive.LayerArchive;
import dev.stowage.archive.MigrationDir;
import dev.stowage.archive.TreeDigest;
import dev.stowage.docker.DaemonClient;
import dev.stowage.model.ContainerInfo;
import dev.stowage.model.ContainerRecord;
import dev.stowage.model.Manifest;
import dev.stowage.model.NetworkRecord;
import dev.stowage.model.VolumeRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares a live daemon with a manifest and lists every difference: image IDs and tags;
 * networks (driver, subnets); volumes (a digest over paths, contents and metadata of the tree);
 * containers (image, configuration field by field, network attachments, state, and the writable
 * layer entry by entry against its archive).
 */
public final class Verification {
    /** Fields the engine fills in itself at create time; a difference there is not a difference. */
    private static final List<String> HOST_CONFIG_VOLATILE = List.of("NetworkMode", "IpcMode", "PidMode", "VolumesFrom");

    private final DaemonClient daemon;
    private final MigrationDir dir;
    private boolean beforeImport;

    public Verification(DaemonClient daemon, MigrationDir dir) {
        this.daemon = daemon;
        this.dir = dir;
    }

    /**
     * Verifies the source before any import: the containers the export stopped are expected to be
     * stopped still (import starts them), not running.
     */
    public Verification beforeImport() {
        this.beforeImport = true;
        return this;
    }

    /** Every difference, and a few lines saying what was compared. */
    public record Report(List<String> differences, List<String> lines) {
    }

    /**
     * @param checkState whether containers must be in their recorded state (import compares
     *     before it starts them, so that nothing a starting container writes counts)
     * @param noStart true when import was told to leave containers stopped
     */
    public Report compare(Manifest manifest, boolean checkState, boolean noStart) {
        List<String> differences = new ArrayList<>(ImageImport.verify(manifest, daemon));
        Set<String> busyVolumes = new HashSet<>();
        Set<String> busyContainers = new HashSet<>();
        for (ContainerInfo live : daemon.containers()) {
            if (live.running()) {
                busyContainers.add(live.name());
                live.mounts().forEach(m -> busyVolumes.add(m.path("Name").asText("")));
            }
        }
        networks(manifest.networks(), differences);
        volumes(manifest.volumes(), busyVolumes, differences);
        containers(manifest.containers(), busyContainers, differences);
        if (checkState) {
            differences.addAll(states(manifest.containers(), noStart));
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("verify: compared %d images, %d networks, %d volumes (tree digests), %d containers"
                + " (config, state, networks, writable layer): %d difference(s)", manifest.images().size(),
                manifest.networks().size(), manifest.volumes().size(), manifest.containers().size(), differences.size()));
        long skippedVolumes = manifest.volumes().stream().filter(v -> busyVolumes.contains(v.name())).count();
        long skippedLayers = manifest.containers().stream().filter(c -> busyContainers.contains(c.name())).count();
        if (skippedVolumes + skippedLayers > 0) {
            lines.add(String.format("  not compared: the files of %d volumes and %d writable layers that running"
                    + " containers use (they may write; import compares them before it starts anything)",
                    skippedVolumes, skippedLayers));
        }
        return new Report(differences, lines);
    }

    private void networks(List<NetworkRecord> networks, List<String> differences) {
        Map<String, JsonNode> live = new HashMap<>();
        daemon.networks().forEach(n -> live.put(n.path("Name").asText(), n));
        for (NetworkRecord network : networks) {
            JsonNode there = live.get(network.name());
            if (there == null) {
                differences.add("network " + network.name() + " is missing");
            } else if (!NetworkImport.matches(network, there)) {
                differences.add("network " + network.name() + " differs (driver or subnets)");
            } else {
                for (String flag : List.of("Internal", "Attachable", "EnableIPv6")) {
                    if (network.create().path(flag).asBoolean(false) != there.path(flag).asBoolean(false)) {
                        differences.add("network " + network.name() + ": " + flag + " differs");
                    }
                }
            }
        }
    }

    private void volumes(List<VolumeRecord> volumes, Set<String> busy, List<String> differences) {
        for (VolumeRecord volume : volumes) {
            Optional<JsonNode> there = daemon.volume(volume.name());
            if (there.isEmpty()) {
                differences.add("volume " + volume.name() + " is missing");
                continue;
            }
            if (!volume.driver().equals(there.get().path("Driver").asText())) {
                differences.add("volume " + volume.name() + ": driver " + there.get().path("Driver").asText()
                        + ", expected " + volume.driver());
            }
            if (volume.holdsData() && !busy.contains(volume.name())) {
                Path mountpoint = VolumeImport.mountpoint(there.get());
                try {
                    String digest = TreeDigest.of(mountpoint).toString();
                    if (!digest.equals(volume.treeDigest())) {
                        differences.add("volume " + volume.name() + ": its files differ from the export (tree digest "
                                + digest + ", expected " + volume.treeDigest() + ")");
                    }
                } catch (IOException e) {
                    differences.add("volume " + volume.name() + ": cannot read " + mountpoint + ": " + e.getMessage());
                }
            }
        }
    }

    /** Containers that should run are running (paused if they were), the others are not. */
    public List<String> states(List<ContainerRecord> containers, boolean noStart) {
        List<String> differences = new ArrayList<>();
        for (ContainerRecord container : containers) {
            Optional<ContainerInfo> live = daemon.container(container.name());
            if (live.isEmpty()) {
                continue; // reported as missing by the comparison
            }
            String expected = !container.shouldRun() || noStart || (beforeImport && container.stoppedByExport())
                    ? "not running"
                    : "paused".equals(container.state()) ? "paused" : "running";
            String actual = live.get().paused() ? "paused" : live.get().running() ? "running" : "not running";
            if (!expected.equals(actual)) {
                differences.add("container " + container.name() + ": " + actual + ", expected " + expected);
            }
        }
        return differences;
    }

    private void containers(List<ContainerRecord> containers, Set<String> busy, List<String> differences) {
        for (ContainerRecord container : containers) {
            Optional<ContainerInfo> found = daemon.container(container.name());
            if (found.isEmpty()) {
                differences.add("container " + container.name() + " is missing");
                continue;
            }
            ContainerInfo live = found.get();
            String name = "container " + container.name();
            if (!live.image().equals(container.image())) {
                differences.add(name + ": image " + live.image() + ", expected " + container.image());
            }
            compareFields(name + ": Config", container.config(), live.config(), List.of("Image"), differences);
            compareFields(name + ": HostConfig", container.hostConfig(), live.hostConfig(), HOST_CONFIG_VOLATILE,
                    differences);
            for (Map.Entry<String, JsonNode> endpoint : container.endpoints().entrySet()) {
                JsonNode attached = live.networks().path(endpoint.getKey());
                if (attached.isMissingNode()) {
                    differences.add(name + ": not attached to network " + endpoint.getKey());
                    continue;
                }
                endpoint.getValue().path("Aliases").forEach(alias -> {
                    if (!contains(attached.path("Aliases"), alias.asText())) {
                        differences.add(name + ": alias " + alias.asText() + " missing on " + endpoint.getKey());
                    }
                });
                String ip = endpoint.getValue().path("IPAMConfig").path("IPv4Address").asText("");
                if (!ip.isEmpty() && !ip.equals(attached.path("IPAMConfig").path("IPv4Address").asText(""))) {
                    differences.add(name + ": static IP " + ip + " missing on " + endpoint.getKey());
                }
            }
            if (container.layer() != null && !busy.contains(container.name())) {
                layer(container, live, differences);
            }
        }
    }

    private void layer(ContainerRecord container, ContainerInfo live, List<String> differences) {
        try (InputStream archive = BlobArchives.open(dir.blobs(), container.layer(),
                Compression.parse(container.layerCompression()))) {
            LayerArchive.compare(archive, daemon.writableLayer(live))
                    .forEach(d -> differences.add("container " + container.name() + ": writable layer: " + d));
        } catch (IOException e) {
            differences.add("container " + container.name() + ": cannot compare its writable layer: " + e.getMessage());
        }
    }

    /** Field by field: every recorded field must be there with an equal value (the engine may add more). */
    static void compareFields(String where, JsonNode expected, JsonNode actual, List<String> ignored,
            List<String> differences) {
        if (!expected.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : expected.properties()) {
            if (ignored.contains(field.getKey())) {
                continue;
            }
            JsonNode value = actual.path(field.getKey());
            if (!equivalent(field.getValue(), value)) {
                differences.add(where + "." + field.getKey() + " is " + (value.isMissingNode() ? "missing" : value)
                        + ", expected " + field.getValue());
            }
        }
    }

    /** Null, missing, empty list and empty object all mean "not set" to the engine. */
    static boolean equivalent(JsonNode a, JsonNode b) {
        if (unset(a) && unset(b)) {
            return true;
        }
        return a.equals(b);
    }

    private static boolean unset(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || (node.isContainerNode() && node.isEmpty());
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
