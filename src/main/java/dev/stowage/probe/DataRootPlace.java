package dev.stowage.probe;

import dev.stowage.model.ByteSize;
import dev.stowage.model.Precheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a data-root really is: the directory itself if it exists, else the nearest existing
 * ancestor, where dockerd will create it; the mount and block device under that; and what the
 * directory holds already.
 *
 * @param existing the path itself or its nearest existing ancestor, symlinks resolved
 */
record DataRootPlace(Path dataRoot, Path existing, MountEntry mount, Optional<BlockDevice> device) {
    /** Entries dockerd leaves in a data-root: if any is there, it is a previous data-root. */
    private static final Set<String> DOCKER_ENTRIES = Set.of("image", "containers", "volumes", "network", "overlay2",
            "overlay", "vfs", "btrfs", "zfs", "devicemapper", "aufs", "fuse-overlayfs", "buildkit", "swarm", "plugins",
            "runtimes", "trust", "containerd", "engine-id");
    /** A fresh ext4 filesystem has this; a mount point used as the data-root is still empty. */
    private static final String LOST_AND_FOUND = "lost+found";

    static DataRootPlace resolve(Path dataRoot, MountTable mounts, Path sys) {
        Path existing = Targets.existingDirectory(dataRoot);
        MountEntry mount = mounts.find(existing).orElseThrow(() -> new IllegalStateException(
                "no mount holds " + existing + " in /proc/self/mountinfo"));
        return new DataRootPlace(dataRoot, existing, mount, BlockDevice.of(mount, sys));
    }

    boolean exists() {
        return Files.isDirectory(dataRoot);
    }

    /** {@code xfs on loop3 (7:3), mounted at /mnt/data}. */
    String describe() {
        return mount.fsType() + " on " + device.map(BlockDevice::describe).orElse(mount.source())
                + ", mounted at " + mount.mountPoint();
    }

    /** Where it resolves to, whether it can be a data-root at all, and what it already holds. */
    List<Precheck> assess(Path fstab) {
        List<Precheck> findings = new ArrayList<>();
        String subject = dataRoot.toString();
        if (Files.exists(dataRoot) && !Files.isDirectory(dataRoot)) {
            findings.add(Precheck.blocker(subject, "data_root", dataRoot + " exists and is not a directory",
                    "choose a directory, or move the file away"));
            return findings;
        }
        String free = SpaceUsage.of(existing).map(s -> ", " + ByteSize.of(s.availableBytes()).human() + " free")
                .orElse("");
        String where = exists() ? dataRoot + (existing.equals(dataRoot) ? "" : " (" + existing + ")")
                : dataRoot + " does not exist yet; dockerd will create it in " + existing + ", which";
        findings.add(Precheck.ok(subject, "data_root_fs", where + " is on " + describe() + free));
        if (mount.readOnly()) {
            findings.add(Precheck.blocker(subject, "data_root_fs", mount.mountPoint() + " is mounted read-only",
                    "remount it read-write (and find out why it is read-only: dmesg)"));
        }
        unmountedFstabEntry(fstab).ifPresent(point -> findings.add(Precheck.blocker(subject, "data_root_fs",
                point + " is a mount point in " + fstab + " but nothing is mounted there: the data-root would land on "
                        + describe() + " instead of that filesystem",
                "mount " + point + " (mount " + point + "), then run again")));
        if (exists()) {
            findings.add(contents(subject));
        }
        return findings;
    }

    private Precheck contents(String subject) {
        List<String> names;
        try (Stream<Path> entries = Files.list(dataRoot)) {
            names = entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LOST_AND_FOUND)).sorted().toList();
        } catch (IOException e) {
            return Precheck.blocker(subject, "data_root_contents", "cannot list " + dataRoot + ": " + e.getMessage(),
                    "check its permissions");
        }
        if (names.isEmpty()) {
            return Precheck.ok(subject, "data_root_contents", dataRoot + " is empty");
        }
        List<String> docker = names.stream().filter(DOCKER_ENTRIES::contains).toList();
        if (!docker.isEmpty()) {
            return Precheck.warning(subject, "data_root_contents", dataRoot + " already holds a Docker data-root ("
                    + String.join(", ", docker) + "): dockerd will start with what is there, and images of another"
                    + " driver stay invisible to it", "for a clean start choose an empty directory; remove the old"
                    + " data only after a verified migration");
        }
        return Precheck.blocker(subject, "data_root_contents", dataRoot + " is not empty and not a Docker data-root ("
                + names.size() + " entries: " + String.join(", ", names.subList(0, Math.min(5, names.size())))
                + (names.size() > 5 ? ", ..." : "") + ")", "choose an empty directory, e.g. " + dataRoot.resolve("docker"));
    }

    /**
     * The deepest mount point listed in fstab between the data-root and the mount that holds it:
     * the disk the operator meant to use is not mounted, and dockerd would fill the other one.
     */
    private Optional<Path> unmountedFstabEntry(Path fstab) {
        if (!Files.isRegularFile(fstab)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(fstab, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path normalized = dataRoot.toAbsolutePath().normalize();
        Path found = null;
        for (String line : lines) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 3 || fields[0].startsWith("#") || !fields[1].startsWith("/") || fields[2].equals("swap")
                    || (fields.length > 3 && Set.of(fields[3].split(",")).contains("noauto"))) {
                continue;
            }
            Path point = Path.of(MountTable.unescape(fields[1])).normalize();
            boolean between = normalized.startsWith(point) && point.startsWith(mount.mountPoint())
                    && !point.equals(mount.mountPoint());
            if (between && (found == null || point.getNameCount() > found.getNameCount())) {
                found = point;
            }
        }
        return Optional.ofNullable(found);
    }
}
