package dev.stowage.probe;

import dev.stowage.model.Precheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What dockerd says about {@code --storage-opt} values before it starts a driver. It refuses an
 * option it does not know ("overlay2: unknown option dm.basesize"), which is what happens when a
 * host moves off devicemapper and keeps its {@code dm.*} options; and overlay2's size limit needs
 * XFS mounted with project quotas.
 */
final class StorageOptionRules {
    /** Option prefixes by the driver that owns them. */
    private static final Map<String, String> OWNERS = Map.of(
            "overlay2", "overlay2", "overlay", "overlay", "dm", "devicemapper", "btrfs", "btrfs", "zfs", "zfs",
            "fuse-overlayfs", "fuse-overlayfs", "aufs", "aufs");

    private StorageOptionRules() {
    }

    static List<Precheck> assess(String driver, List<String> options, MountEntry mount) {
        List<Precheck> findings = new ArrayList<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                findings.add(Precheck.blocker(option, "storage_opt", "storage option '" + option + "' is not key=value",
                        "write it as key=value, e.g. overlay2.size=20G"));
                continue;
            }
            String key = option.substring(0, eq).toLowerCase(Locale.ROOT);
            int dot = key.indexOf('.');
            String owner = dot < 0 ? null : OWNERS.get(key.substring(0, dot));
            if (driver != null && owner != null && !owner.equals(driver)) {
                findings.add(Precheck.blocker(option, "storage_opt", "storage option " + key + " belongs to the "
                        + owner + " driver; dockerd refuses it with " + driver + " (\"" + driver + ": unknown option "
                        + key + "\")", "drop it: --clear-storage-opts, then the options " + driver + " needs"));
            } else if (key.equals("overlay2.size") && !projectQuota(mount)) {
                findings.add(Precheck.blocker(option, "storage_opt", "overlay2.size needs XFS mounted with project"
                        + " quotas; " + mount.mountPoint() + " is " + mount.fsType() + " without them",
                        "mount the XFS filesystem with -o pquota (in /etc/fstab), or drop overlay2.size"));
            }
        }
        return findings;
    }

    private static boolean projectQuota(MountEntry mount) {
        return mount.fsType().equals("xfs") && (mount.superOptions().contains("prjquota")
                || mount.superOptions().contains("pquota") || mount.options().contains("prjquota")
                || mount.options().contains("pquota"));
    }
}
