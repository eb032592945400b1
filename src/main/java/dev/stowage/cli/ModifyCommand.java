package dev.stowage.cli;

import dev.stowage.config.ConfigChange;
import dev.stowage.config.ConfigHome;
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
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stowage storage modify}. */
@Command(name = "modify", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Point dockerd at a new storage driver, data-root or storage options",
        description = {
            "Change the storage settings dockerd starts with: its driver (--driver), its data-root (--data-root)"
                    + " and the driver's options (--storage-opt). Only the configuration changes; the daemon keeps"
                    + " running with its old settings until it restarts, and no image, container or volume moves.",
            "",
            "The settings go to daemon.json (--config-file), or, on hosts whose docker.service appends"
                    + " $DOCKER_STORAGE_OPTIONS from /etc/sysconfig/docker-storage to dockerd's command line (RHEL),"
                    + " there. Each setting ends up in one place only: a copy in the other is removed, and"
                    + " the output says so. Every other key and line stays as it was. The old file is backed up"
                    + " beside it (NAME.stowage-TIMESTAMP.bak) and the new one replaces it atomically, with the old"
                    + " mode and owner.",
            "",
            "Before writing, it refuses (exit code 3) what would stop dockerd from starting: a setting given both"
                    + " as a flag (ExecStart of docker.service and its drop-ins, /etc/sysconfig/docker,"
                    + " /etc/default/docker) and in daemon.json; a driver this kernel or the data-root's filesystem"
                    + " does not support (overlay2: a real overlay mount is tried there, and d_type / XFS ftype is"
                    + " checked; btrfs and zfs: the data-root must be on that filesystem); a data-root that is a file,"
                    + " not empty, or on another filesystem than the one in /etc/fstab.",
            "",
            "With --dry-run it prints the diff and the findings and changes nothing."
        })
public final class ModifyCommand implements Callable<Integer> {
    private static final Pattern DRIVER_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final Pattern STORAGE_OPT = Pattern.compile("[^=\\s]+=\\S*");

    @Spec
    CommandSpec spec;

    @Option(names = "--driver", paramLabel = "DRIVER",
            description = "Storage driver: overlay2, btrfs, zfs, vfs, ... Default: leave as configured.")
    String driver;

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "dockerd's data-root, an absolute path (created by dockerd if missing). Default: leave as"
                    + " configured.")
    Path dataRoot;

    @Option(names = "--storage-opt", paramLabel = "KEY=VALUE",
            description = "A storage driver option, e.g. overlay2.size=20G. Repeatable. Replaces an option of the same"
                    + " key; keeps the others unless --clear-storage-opts.")
    List<String> storageOpts = new ArrayList<>();

    @Option(names = "--clear-storage-opts",
            description = "Remove every configured storage option first (e.g. the dm.* options of devicemapper, which"
                    + " dockerd refuses with any other driver).")
    boolean clearStorageOpts;

    @Option(names = "--config-file", paramLabel = "FILE",
            description = "The daemon.json to edit; created if missing. Default: " + HostLayout.DAEMON_JSON + ".")
    Path configFile;

    @Option(names = "--write-to", paramLabel = "WHERE", converter = HomeConverter.class,
            completionCandidates = HomeCandidates.class,
            description = "Where the settings go: auto (/etc/sysconfig/docker-storage if dockerd's command line takes"
                    + " it, else daemon.json), daemon-json, or sysconfig. Default: auto.")
    ConfigHome home = ConfigHome.AUTO;

    /** The host's files under another root: for tests, and for a host's filesystem mounted elsewhere. */
    @Option(names = "--root", paramLabel = "DIR", hidden = true)
    Path root = Path.of("/");

    @Override
    public Integer call() {
        StowageCommand top = (StowageCommand) spec.root().userObject();
        Reporter reporter = top.reporter();
        try {
            StorageEdit edit = edit();
            boolean dryRun = top.options().dryRun;
            HostLayout layout = HostLayout.under(root, configFile);
            reporter.emit(new Event.Step("planning the change of " + layout.daemonJson()));
            DaemonConfig config = DaemonConfig.read(layout);
            ConfigChange change = config.plan(edit);
            StorageSettings after = change.after();
            reporter.emit(new Event.Step("checking the target: " + after.describe()));
            List<Precheck> findings = new ArrayList<>(change.findings());
            findings.addAll(StorageTargetCheck.host().validate(after.driver().orElse(null),
                    Path.of(after.dataRootOrDefault()), after.storageOpts()));
            findings.forEach(f -> reporter.emit(notice(f)));
            List<Precheck> blockers = findings.stream().filter(Precheck::blocks).toList();
            List<DaemonConfig.Applied> applied = blockers.isEmpty() && !dryRun ? config.apply(change) : List.of();
            reporter.emit(new Event.Summary("modify", ModifySummary.fields(change, findings, applied, dryRun),
                    ModifySummary.lines(change, blockers, applied, dryRun)));
            if (!blockers.isEmpty()) {
                throw new StowageException(ExitCode.PRECHECK, blockers.size() + " precheck"
                        + (blockers.size() == 1 ? "" : "s") + " refused the change: " + blockers.get(0).message(),
                        blockers.get(0).remedy());
            }
            return 0;
        } finally {
            reporter.close();
        }
    }

    private StorageEdit edit() {
        if (driver == null && dataRoot == null && storageOpts.isEmpty() && !clearStorageOpts) {
            throw usage("nothing to modify", "give --driver, --data-root, --storage-opt or --clear-storage-opts");
        }
        if (driver != null && !DRIVER_NAME.matcher(driver).matches()) {
            throw usage("--driver '" + driver + "' is not a driver name", "e.g. --driver overlay2");
        }
        if (dataRoot != null && !dataRoot.isAbsolute()) {
            throw usage("--data-root " + dataRoot + " is not an absolute path",
                    "dockerd resolves a relative data-root against its own working directory; give the full path");
        }
        for (String opt : storageOpts) {
            if (!STORAGE_OPT.matcher(opt).matches()) {
                throw usage("--storage-opt '" + opt + "' is not KEY=VALUE", "e.g. --storage-opt overlay2.size=20G");
            }
        }
        return new StorageEdit(Optional.ofNullable(driver), Optional.ofNullable(dataRoot).map(p -> p.normalize().toString()),
                storageOpts, clearStorageOpts, home);
    }

    private static StowageException usage(String message, String hint) {
        return new StowageException(ExitCode.USAGE, message, hint);
    }

    private static Event.Notice notice(Precheck f) {
        switch (f.level()) {
            case OK:
                return Event.Notice.info("ok: " + f.message());
            case WARNING:
                return Event.Notice.warning(f.message(), f.remedy());
            default:
                return Event.Notice.warning("refused: " + f.message(), f.remedy());
        }
    }

    /** Reads auto, daemon-json, sysconfig. */
    static final class HomeConverter implements ITypeConverter<ConfigHome> {
        @Override
        public ConfigHome convert(String value) {
            try {
                return ConfigHome.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value + "' is not one of auto, daemon-json, sysconfig");
            }
        }
    }

    /** For completion and the man page. */
    static final class HomeCandidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("auto", "daemon-json", "sysconfig").iterator();
        }
    }
}
