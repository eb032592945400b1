package dev.stowage.phase;

import dev.stowage.config.ConfigChange;
import dev.stowage.config.DaemonConfig;
import dev.stowage.config.HostLayout;
import dev.stowage.config.StorageEdit;
import dev.stowage.config.StorageSettings;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Precheck;
import dev.stowage.model.StowageException;
import dev.stowage.probe.StorageTargetCheck;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration's settings change through {@code stowage storage modify}'s machinery: the edit is
 * planned against daemon.json (or /etc/sysconfig/docker-storage) and dockerd's launch flags, and
 * the target is checked on the real filesystem (driver support, d_type, XFS ftype, overlayfs).
 */
public final class ConfigDaemonSettings implements DaemonSettings {
    private final Path hostRoot;

    /** @param hostRoot where the host's /etc lies: "/" on a host, a temp root in tests */
    public ConfigDaemonSettings(Path hostRoot) {
        this.hostRoot = hostRoot;
    }

    /** Drivers dockerd knows; a migration to another name would stop the daemon and reset for nothing. */
    private static final java.util.Set<String> KNOWN_DRIVERS = java.util.Set.of("overlay2", "overlay", "vfs", "btrfs",
            "zfs", "devicemapper", "aufs", "fuse-overlayfs");

    @Override
    public void validate(MigrationTarget target, Reporter reporter) {
        if (!KNOWN_DRIVERS.contains(target.driver())) {
            throw new StowageException(ExitCode.PRECHECK, "unknown storage driver '" + target.driver()
                    + "'; nothing was changed", "use one of " + String.join(", ", new java.util.TreeSet<>(KNOWN_DRIVERS)));
        }
        ConfigChange change = plan(target);
        StorageSettings after = change.after();
        List<Precheck> findings = new ArrayList<>(change.findings());
        findings.addAll(StorageTargetCheck.host().validate(after.driver().orElse(target.driver()),
                Path.of(after.dataRootOrDefault()), after.storageOpts()));
        refuseOnBlockers(findings, reporter, "the target");
        if (!change.isEmpty()) {
            reporter.emit(Event.Notice.info("the configuration change the migration will make:\n" + change.diff()));
        }
    }

    @Override
    public void apply(MigrationTarget target, Reporter reporter) {
        DaemonConfig config = read(target);
        ConfigChange change = config.plan(edit(target));
        refuseOnBlockers(change.findings(), reporter, "the configuration change");
        for (DaemonConfig.Applied applied : config.apply(change)) {
            if (applied.written()) {
                reporter.emit(Event.Notice.info("wrote " + applied.path()
                        + applied.backup().map(b -> " (the old one is kept as " + b + ")").orElse("")));
            }
        }
    }

    private ConfigChange plan(MigrationTarget target) {
        return read(target).plan(edit(target));
    }

    private DaemonConfig read(MigrationTarget target) {
        return DaemonConfig.read(HostLayout.under(hostRoot, target.configFile()));
    }

    /** The target's driver and options; its data-root only when it moves (else the configured one stays). */
    private static StorageEdit edit(MigrationTarget target) {
        if (target.dataRoot() != null) {
            return StorageEdit.target(target.driver(), target.dataRoot().toString(), target.storageOpts());
        }
        return new StorageEdit(java.util.Optional.of(target.driver()), java.util.Optional.empty(), target.storageOpts(),
                true, dev.stowage.config.ConfigHome.AUTO);
    }

    private static void refuseOnBlockers(List<Precheck> findings, Reporter reporter, String what) {
        for (Precheck finding : findings) {
            if (finding.level() == Precheck.Level.WARNING) {
                reporter.emit(Event.Notice.warning(finding.message(), finding.remedy()));
            }
        }
        List<Precheck> blockers = findings.stream().filter(Precheck::blocks).toList();
        if (!blockers.isEmpty()) {
            throw new StowageException(ExitCode.PRECHECK, what + " was refused: " + String.join("; ",
                    blockers.stream().map(Precheck::message).toList()) + "; nothing was changed", blockers.get(0).remedy());
        }
    }
}
