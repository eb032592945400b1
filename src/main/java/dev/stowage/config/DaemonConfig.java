package dev.stowage.config;

import dev.stowage.model.ExitCode;
import dev.stowage.model.Precheck;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * dockerd's storage configuration on one host, as read at one instant: daemon.json,
 * /etc/sysconfig/docker-storage and the flags of its launch. {@link #plan} works out a change
 * without touching anything; {@link #apply} carries it out. See the package documentation.
 */
public final class DaemonConfig {
    private final HostLayout layout;
    private final String jsonText;
    private final JsonDocument json;
    private final String storageText;
    private final StorageSysconfig storage;
    private final DaemonLaunch launch;
    private final boolean storageInUse;

    private DaemonConfig(HostLayout layout, String jsonText, JsonDocument json, String storageText,
            StorageSysconfig storage, DaemonLaunch launch) {
        this.layout = layout;
        this.jsonText = jsonText;
        this.json = json;
        this.storageText = storageText;
        this.storage = storage;
        this.launch = launch;
        this.storageInUse = launch.uses(layout.storageSysconfig(), StorageSysconfig.VARIABLE)
                || (!launch.systemd() && storageText != null);
    }

    /**
     * Reads the files. A daemon.json that does not exist is an empty object; one that is not valid
     * JSON is refused (exit 3), naming the line and column.
     */
    public static DaemonConfig read(HostLayout layout) {
        try {
            String jsonText = readIfExists(layout.daemonJson());
            JsonDocument json = jsonText == null ? JsonDocument.empty(layout.daemonJson().toString())
                    : JsonDocument.parse(jsonText, layout.daemonJson().toString());
            String storageText = readIfExists(layout.storageSysconfig());
            StorageSysconfig storage = StorageSysconfig.parse(storageText == null ? "" : storageText);
            return new DaemonConfig(layout, jsonText, json, storageText, storage, DaemonLaunch.discover(layout));
        } catch (IOException | UncheckedIOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot read dockerd's configuration: " + e.getMessage(),
                    "check the permissions of the files named; stowage runs as root", e);
        }
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    }

    public HostLayout layout() {
        return layout;
    }

    /** The settings dockerd would start with now. */
    public StorageSettings current() {
        return effective(json, launch.flags());
    }

    /** Whether dockerd's command line takes DOCKER_STORAGE_OPTIONS from /etc/sysconfig/docker-storage. */
    public boolean readsStorageSysconfig() {
        return storageInUse;
    }

    /**
     * Plans {@code edit}: the new file contents, and what would keep dockerd from starting with
     * them (flag/file conflicts, a config file dockerd does not read). Touches nothing.
     */
    public ConfigChange plan(StorageEdit edit) {
        List<Precheck> findings = new ArrayList<>(launch.findings());
        ChangePlanner planner = new ChangePlanner(layout.daemonJson(), json, layout.storageSysconfig(), storage,
                storageInUse);
        planner.plan(edit);
        findings.addAll(planner.findings());

        List<FileEdit> edits = new ArrayList<>();
        Map<Path, EnvFile> planned = new LinkedHashMap<>();
        if (!planner.json().text().equals(jsonText)) {
            edits.add(new FileEdit(layout.daemonJson(), jsonText, planner.json().text(), planner.jsonChanges()));
        }
        if (!planner.storage().text().equals(storageText == null ? "" : storageText)) {
            // The file a setting moves into is written first. A crash between the two writes then
            // leaves the setting in both files, which dockerd refuses to start with: safer than a
            // setting in neither, with which it would start on a default data-root or driver and
            // write there. Running the same edit again finishes the move.
            FileEdit storageEdit = new FileEdit(layout.storageSysconfig(), storageText, planner.storage().text(),
                    planner.storageChanges());
            edits.add(planner.sysconfigHome() ? 0 : edits.size(), storageEdit);
            planned.put(layout.storageSysconfig(), planner.storage().envFile());
        }
        List<DaemonFlag> flagsAfter = launch.flags(planned);
        findings.addAll(ConflictCheck.judge(ConflictCheck.find(launch.flags(), json),
                ConflictCheck.find(flagsAfter, planner.json()), layout.daemonJson()));
        findings.addAll(configFileFindings(flagsAfter));
        StorageSettings after = effective(planner.json(), flagsAfter);
        storageSetupFinding(after).ifPresent(findings::add);
        return new ConfigChange(edits, findings, current(), after);
    }

    /**
     * Carries out a planned change: each file is backed up, then replaced atomically. Applying the
     * same change again, or after a crash part way, finishes it without a second backup. A file that
     * changed since the plan is refused (exit 3) and left alone.
     *
     * @throws StowageException (precheck) if the change is blocked
     */
    public List<Applied> apply(ConfigChange change) {
        if (change.blocked()) {
            throw new StowageException(ExitCode.PRECHECK, "the change is blocked: " + change.blockers().get(0).message(),
                    change.blockers().get(0).remedy());
        }
        FileReplacer replacer = new FileReplacer(Clock.systemUTC());
        List<Applied> applied = new ArrayList<>();
        for (FileEdit edit : change.edits()) {
            FileReplacer.Outcome outcome = replacer.replace(edit);
            applied.add(new Applied(outcome.path(), outcome.backup(), outcome.written()));
        }
        return applied;
    }

    /**
     * What {@link #apply} did to one file.
     *
     * @param backup the copy of the old content, if the file existed
     * @param written false when the file already held the new content
     */
    public record Applied(Path path, Optional<Path> backup, boolean written) {
    }

    /** dockerd reads one config file only; editing another would change nothing. */
    private List<Precheck> configFileFindings(List<DaemonFlag> flags) {
        List<Precheck> findings = new ArrayList<>();
        Path defaultFile = layout.path(HostLayout.DAEMON_JSON);
        if (launch.systemd() && flags.stream().noneMatch(f -> f.name().equals("config-file"))
                && !defaultFile.equals(layout.daemonJson())) {
            findings.add(Precheck.warning(layout.daemonJson().toString(), "config_file", "dockerd's flags name no"
                    + " --config-file, so it reads " + defaultFile + ", not " + layout.daemonJson(),
                    "edit " + defaultFile + " (leave out --config-file), or add --config-file " + layout.daemonJson()
                            + " to dockerd's flags"));
        }
        for (DaemonFlag flag : flags) {
            if (flag.name().equals("config-file") && flag.value() != null
                    && !layout.path(flag.value()).equals(layout.daemonJson())) {
                findings.add(Precheck.blocker(flag.display(), "config_file", "dockerd reads " + flag.value() + " ("
                        + flag.origin() + "), not " + layout.daemonJson(), "run again with --config-file "
                        + layout.path(flag.value())));
            }
        }
        return findings;
    }

    /** RHEL's docker-storage-setup rewrites docker-storage at boot from its own file. */
    private Optional<Precheck> storageSetupFinding(StorageSettings after) {
        Path setup = layout.storageSetup();
        if (!storageInUse || !Files.isRegularFile(setup) || after.driver().isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<String> driver = EnvFile.parse(Files.readString(setup, StandardCharsets.UTF_8)).get("STORAGE_DRIVER");
            if (driver.isPresent() && !driver.get().equals(after.driver().get())) {
                return Optional.of(Precheck.warning(setup.toString(), "storage_setup", "STORAGE_DRIVER=" + driver.get()
                        + " in " + setup + ": docker-storage-setup may rewrite " + layout.storageSysconfig()
                        + " at boot", "set STORAGE_DRIVER=" + after.driver().get() + " there too"));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The settings from daemon.json and the flags together (a file/flag pair is a conflict reported elsewhere). */
    private static StorageSettings effective(JsonDocument json, List<DaemonFlag> flags) {
        String driverFlag = null;
        String dataRootFlag = null;
        List<String> opts = new ArrayList<>();
        json.get(StorageSetting.OPTS.key()).ifPresent(n -> n.forEach(v -> opts.add(v.asText())));
        for (DaemonFlag flag : flags) {
            StorageSetting setting = StorageSetting.ofFlag(flag.name());
            if (setting == StorageSetting.DRIVER && flag.value() != null) {
                driverFlag = flag.value(); // as in dockerd, the last one wins
            } else if (setting == StorageSetting.DATA_ROOT && flag.value() != null) {
                dataRootFlag = flag.value();
            } else if (setting == StorageSetting.OPTS && flag.value() != null) {
                opts.add(flag.value());
            }
        }
        Optional<String> driverOfFlags = Optional.ofNullable(driverFlag);
        Optional<String> dataRootOfFlags = Optional.ofNullable(dataRootFlag);
        Optional<String> driver = json.get(StorageSetting.DRIVER.key()).map(n -> n.asText()).or(() -> driverOfFlags);
        return new StorageSettings(driver, dataRoot(json).or(() -> dataRootOfFlags), opts);
    }

    private static Optional<String> dataRoot(JsonDocument json) {
        return json.get(StorageSetting.DATA_ROOT.key()).or(() -> json.get(StorageSetting.LEGACY_DATA_ROOT_KEY))
                .map(n -> n.asText());
    }
}
