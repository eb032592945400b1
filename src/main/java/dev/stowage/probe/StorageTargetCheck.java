package dev.stowage.probe;

import dev.stowage.model.Precheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates a storage target (driver, data-root, options) on this host before dockerd is pointed
 * at it: does the driver exist in this kernel, does the backing filesystem support it, and is the
 * data-root a directory dockerd can use, on the filesystem the operator meant. Where a real test is
 * possible it is made: an overlay mount with its upper layer on the target, a readdir for d_type,
 * {@code xfs_info} for XFS's ftype. A data-root that does not exist yet is checked on the filesystem
 * of its nearest existing ancestor, where dockerd will create it.
 *
 * <p>Drivers checked: overlay2 (and overlay), btrfs, zfs, aufs, vfs. Others (devicemapper,
 * fuse-overlayfs, names this release does not know) get a warning that dockerd will check them.
 */
public final class StorageTargetCheck {
    /**
     * Backing filesystems dockerd's overlay2 refuses outright ("driver not supported"); overlayfs
     * also refuses overlayfs as an upper layer ("filesystem ... not supported as upperdir").
     */
    private static final Set<String> NOT_UNDER_OVERLAY = Set.of("overlay", "aufs", "ecryptfs", "zfs");

    private final Path mountinfo;
    private final Path fstab;
    private final Path sys;
    private final Path filesystems;

    StorageTargetCheck(Path mountinfo, Path fstab, Path sys, Path filesystems) {
        this.mountinfo = mountinfo;
        this.fstab = fstab;
        this.sys = sys;
        this.filesystems = filesystems;
    }

    /** The checks on this host's real /proc, /sys and /etc/fstab. */
    public static StorageTargetCheck host() {
        return new StorageTargetCheck(Path.of("/proc/self/mountinfo"), Path.of("/etc/fstab"), Path.of("/sys"),
                Path.of("/proc/filesystems"));
    }

    /**
     * Runs every check that applies.
     *
     * @param driver null when nothing configures one (dockerd picks the first that works)
     * @param dataRoot an absolute path; it need not exist
     * @return findings, blockers among them when dockerd would fail or fill the wrong disk
     */
    public List<Precheck> validate(String driver, Path dataRoot, List<String> storageOpts) {
        List<Precheck> findings = new ArrayList<>();
        String subject = dataRoot.toString();
        if (!dataRoot.isAbsolute()) {
            findings.add(Precheck.blocker(subject, "data_root", "the data-root must be an absolute path",
                    "give the full path, e.g. /srv/docker"));
            return findings;
        }
        DataRootPlace place;
        try {
            place = DataRootPlace.resolve(dataRoot, MountTable.read(mountinfo), sys);
            findings.addAll(place.assess(fstab));
        } catch (UncheckedIOException | IllegalStateException e) {
            findings.add(Precheck.blocker(subject, "data_root_fs", "cannot tell which filesystem holds " + dataRoot
                    + ": " + e.getMessage(), "check that /proc is mounted and the path is readable"));
            return findings;
        }
        if (findings.stream().anyMatch(f -> f.blocks() && f.check().equals("data_root"))) {
            return findings;
        }
        if (driver == null) {
            findings.add(Precheck.ok(subject, "driver", "no storage driver is configured: dockerd picks the first that"
                    + " works on " + place.mount().fsType()));
        } else {
            findings.addAll(driverFindings(driver, place));
        }
        findings.addAll(StorageOptionRules.assess(driver, storageOpts, place.mount()));
        return findings;
    }

    private List<Precheck> driverFindings(String driver, DataRootPlace place) {
        String subject = place.dataRoot().toString();
        String fs = place.mount().fsType();
        switch (driver) {
            case "overlay2":
            case "overlay":
                return overlay(driver, place);
            case "btrfs":
            case "zfs":
                return List.of(fs.equals(driver)
                        ? Precheck.ok(subject, "backing_fs", driver + " on " + fs + ": the driver's filesystem")
                        : Precheck.blocker(subject, "backing_fs", "the " + driver + " driver needs the data-root on a "
                                + driver + " filesystem; " + place.existing() + " is on " + place.describe()
                                + " (dockerd: \"prerequisites for driver not satisfied (wrong filesystem?)\")",
                                "make a " + driver + " filesystem for the data-root and mount it there, or choose"
                                        + " another driver (overlay2 works on ext4 and on xfs with ftype=1)"));
            case "aufs":
                return List.of(kernelHas("aufs")
                        ? Precheck.ok(subject, "driver", "this kernel has aufs")
                        : Precheck.blocker(subject, "driver", "this kernel has no aufs (not in " + filesystems + ")",
                                "use overlay2, which replaced aufs"));
            case "vfs":
                return List.of(Precheck.ok(subject, "driver", "vfs works on any filesystem; it copies every layer in"
                        + " full, so images take several times the space they take with overlay2"));
            case "devicemapper":
            case "fuse-overlayfs":
                return List.of(Precheck.warning(subject, "driver", "stowage does not check the " + driver
                        + " driver; dockerd checks it when it starts", null));
            default:
                return List.of(Precheck.warning(subject, "driver", "'" + driver + "' is not a storage driver stowage"
                        + " knows; dockerd will refuse it if it does not know it either",
                        "check the name: overlay2, btrfs, zfs, vfs, fuse-overlayfs, devicemapper"));
        }
    }

    /**
     * overlay2: a backing filesystem overlayfs accepts as an upper layer, with d_type (for XFS:
     * ftype=1), and a real overlay mount that works there.
     */
    private List<Precheck> overlay(String driver, DataRootPlace place) {
        List<Precheck> findings = new ArrayList<>();
        String subject = place.dataRoot().toString();
        MountEntry mount = place.mount();
        if (NOT_UNDER_OVERLAY.contains(mount.fsType())) {
            findings.add(Precheck.blocker(subject, "backing_fs", driver + " cannot keep its layers on " + mount.fsType()
                    + ": " + place.existing() + " is on " + place.describe() + " (dockerd: \"driver not supported\")",
                    "put the data-root on a real disk filesystem (ext4, or xfs with ftype=1), or use the vfs driver"));
        }
        if (mount.fsType().equals("xfs")) {
            XfsInfo.of(mount.mountPoint()).ifPresent(info -> findings.add(info.supportsDType()
                    ? Precheck.ok(subject, "xfs_ftype", mount.mountPoint() + " is xfs with ftype=1 (xfs_info)")
                    : Precheck.blocker(subject, "xfs_ftype", mount.mountPoint() + " is xfs with ftype=0: directory"
                            + " entries carry no file type (d_type), which overlayfs needs",
                            "ftype is fixed at mkfs time: make the filesystem again with mkfs.xfs -n ftype=1"
                                    + " (after moving its data away)")));
        }
        if (!kernelHas("overlay")) {
            findings.add(Precheck.warning(subject, "driver", "overlay is not in " + filesystems + " yet; the mount"
                    + " probe loads the module if it exists", "modprobe overlay"));
        }
        try (ScratchProbe probe = ScratchProbe.create(place.existing())) {
            findings.add(probe.reportsDType()
                    ? Precheck.ok(subject, "d_type", "readdir reports file types (d_type) in " + place.existing())
                    : Precheck.blocker(subject, "d_type", "readdir reports no file types (d_type) on "
                            + place.describe() + "; overlayfs needs them", "use ext4, or xfs made with -n ftype=1"));
            String failure = probe.mountOverlay();
            findings.add(failure == null
                    ? Precheck.ok(subject, "overlay_mount", "an overlay mount with its upper layer in "
                            + place.existing() + " worked and took a write")
                    : Precheck.blocker(subject, "overlay_mount", failure + " with its upper layer in "
                            + place.existing() + " (" + place.describe() + ")",
                            "see `dmesg | tail` for the kernel's reason; use a filesystem overlayfs accepts"
                                    + " (ext4, xfs with ftype=1) or the vfs driver"));
        } catch (IOException e) {
            findings.add(Precheck.blocker(subject, "overlay_mount", "cannot make a scratch directory in "
                    + place.existing() + ": " + e.getMessage(), "check that the filesystem is writable"));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            findings.add(Precheck.warning(subject, "overlay_mount", "could not run the overlay mount probe: "
                    + e.getMessage(), "if JNA cannot load from a noexec /tmp, run with -Djna.tmpdir=DIR"));
        }
        return findings;
    }

    private boolean kernelHas(String fsType) {
        try {
            return Files.readAllLines(filesystems).stream().map(line -> line.strip().split("\\s+"))
                    .anyMatch(fields -> fields[fields.length - 1].equals(fsType));
        } catch (IOException e) {
            return false;
        }
    }
}
