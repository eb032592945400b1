package dev.stowage.config;

import dev.stowage.model.Precheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How dockerd gets started on this host, and so which flags it will get at its next start. With a
 * systemd {@code docker.service}: the effective {@code ExecStart=}, its variables expanded from
 * {@code Environment=} and {@code EnvironmentFile=} as systemd would. Without one: the variables
 * that the init scripts of Debian (/etc/default/docker) and RHEL (/etc/sysconfig/docker*) pass
 * to dockerd.
 */
final class DaemonLaunch {
    /** What RHEL's and Debian's init scripts append to dockerd's command line. */
    private static final List<String[]> INIT_SCRIPT_VARIABLES = List.of(
            new String[] {"/etc/default/docker", "DOCKER_OPTS"},
            new String[] {"/etc/sysconfig/docker", "OPTIONS"},
            new String[] {HostLayout.STORAGE_SYSCONFIG, StorageSysconfig.VARIABLE},
            new String[] {"/etc/sysconfig/docker-network", "DOCKER_NETWORK_OPTIONS"});

    private final HostLayout layout;
    private final Optional<ServiceUnit> unit;

    private DaemonLaunch(HostLayout layout, Optional<ServiceUnit> unit) {
        this.layout = layout;
        this.unit = unit;
    }

    static DaemonLaunch discover(HostLayout layout) {
        return new DaemonLaunch(layout, ServiceUnit.load(layout.unitDirs(), "docker.service"));
    }

    boolean systemd() {
        return unit.isPresent();
    }

    /** {@code docker.service (/lib/systemd/system/docker.service + 1 drop-in)} or the init-script files. */
    String describe() {
        if (unit.isEmpty()) {
            return "no docker.service under " + layout.unitDirs() + "; init-script variables in /etc/default/docker"
                    + " and /etc/sysconfig/docker*";
        }
        List<Path> files = unit.get().files();
        return "docker.service (" + files.get(0) + (files.size() > 1 ? " + " + (files.size() - 1) + " drop-in"
                + (files.size() > 2 ? "s" : "") : "") + ")";
    }

    /** Whether dockerd's command line takes {@code variable} from {@code envFile} (a path under the root). */
    boolean uses(Path envFile, String variable) {
        if (unit.isEmpty()) {
            return Files.exists(envFile) && INIT_SCRIPT_VARIABLES.stream()
                    .anyMatch(v -> layout.path(v[0]).equals(envFile) && v[1].equals(variable));
        }
        Pattern reference = Pattern.compile("\\$\\{?" + variable + "\\b");
        return unit.get().environmentFiles().stream().anyMatch(f -> layout.path(f.path()).equals(envFile))
                && unit.get().execStart().map(line -> reference.matcher(line).find()).orElse(false);
    }

    /** The flags of dockerd's next start, as the files are now. */
    List<DaemonFlag> flags() {
        return flags(Map.of());
    }

    /** The flags of dockerd's next start if the environment files in {@code planned} had that content. */
    List<DaemonFlag> flags(Map<Path, EnvFile> planned) {
        if (unit.isEmpty()) {
            List<DaemonFlag> flags = new ArrayList<>();
            for (String[] v : INIT_SCRIPT_VARIABLES) {
                Path file = layout.path(v[0]);
                read(file, planned).flatMap(env -> env.get(v[1])).ifPresent(value -> {
                    List<String> words = CommandWords.split(value);
                    for (DaemonFlags.Parsed p : DaemonFlags.parse(words)) {
                        flags.add(new DaemonFlag(p.name(), p.spelled(), p.value(), v[1] + " in " + file, file, v[1]));
                    }
                });
            }
            return flags;
        }
        ServiceUnit service = unit.get();
        if (service.execStart().isEmpty()) {
            return List.of();
        }
        Map<String, String> environment = new LinkedHashMap<>(service.environment());
        Map<String, Path> fileOf = new LinkedHashMap<>();
        for (ServiceUnit.EnvironmentFile entry : service.environmentFiles()) {
            Path file = layout.path(entry.path());
            read(file, planned).ifPresent(env -> env.variables().forEach((k, value) -> {
                environment.put(k, value);
                fileOf.put(k, file);
            }));
        }
        List<CommandWords.Word> words = executableArguments(service.execStart().get(), environment);
        List<String> texts = words.stream().map(CommandWords.Word::text).toList();
        List<DaemonFlag> flags = new ArrayList<>();
        String unitFile = service.execStartFile().map(Path::toString).orElse("?");
        for (DaemonFlags.Parsed p : DaemonFlags.parse(texts)) {
            String variable = words.get(p.firstWord()).variable();
            Path file = variable == null ? null : fileOf.get(variable);
            String origin = variable == null ? "ExecStart in " + unitFile
                    : "$" + variable + (file != null ? " from " + file : " from Environment= of docker.service")
                            + ", expanded in ExecStart of " + unitFile;
            flags.add(new DaemonFlag(p.name(), p.spelled(), p.value(), origin, file, variable));
        }
        return flags;
    }

    /** The words after dockerd itself; empty if the command does not run dockerd directly. */
    private static List<CommandWords.Word> executableArguments(String execStart, Map<String, String> environment) {
        String line = execStart.strip();
        boolean argv0 = false;
        while (!line.isEmpty() && "-@:+!".indexOf(line.charAt(0)) >= 0) {
            argv0 |= line.charAt(0) == '@';
            line = line.substring(1);
        }
        List<CommandWords.Word> words = CommandWords.expand(line, environment);
        for (int i = 0; i < words.size(); i++) {
            String text = words.get(i).text();
            String name = text.substring(text.lastIndexOf('/') + 1);
            if (name.startsWith("dockerd")) {
                int from = i + 1 + (argv0 && i == 0 ? 1 : 0);
                return words.subList(Math.min(from, words.size()), words.size());
            }
        }
        return List.of();
    }

    /** What an operator should know about the launch itself, whatever the edit. */
    List<Precheck> findings() {
        List<Precheck> findings = new ArrayList<>();
        if (unit.isEmpty()) {
            findings.add(Precheck.ok("docker.service", "daemon_launch", describe()));
            return findings;
        }
        ServiceUnit service = unit.get();
        String subject = service.files().get(0).toString();
        if (service.execStart().isEmpty()) {
            findings.add(Precheck.warning(subject, "daemon_launch", "docker.service has no ExecStart=",
                    "check the unit with `systemctl cat docker.service`"));
        } else if (executableArguments(service.execStart().get(), Map.of()).isEmpty()
                && !service.execStart().get().contains("dockerd")) {
            findings.add(Precheck.warning(subject, "daemon_launch", "ExecStart of docker.service does not run dockerd"
                    + " directly (" + service.execStart().get() + "), so its flags cannot be checked",
                    "look for storage flags (--storage-driver, --data-root, --storage-opt) in what it runs"));
        } else {
            findings.add(Precheck.ok(subject, "daemon_launch", describe()));
        }
        if (service.execStartCount() > 1) {
            findings.add(Precheck.warning(service.execStartFile().map(Path::toString).orElse(subject), "daemon_launch",
                    "docker.service has " + service.execStartCount() + " ExecStart= lines; systemd refuses to start"
                            + " a service that is not Type=oneshot with more than one",
                    "put an empty `ExecStart=` line before the new one in the drop-in"));
        }
        for (ServiceUnit.EnvironmentFile f : service.environmentFiles()) {
            if (!f.optional() && !Files.exists(layout.path(f.path()))) {
                findings.add(Precheck.warning(f.path(), "daemon_launch", "docker.service needs EnvironmentFile="
                        + f.path() + " (from " + f.declaredIn() + "), which does not exist: systemd will not start it",
                        "create the file or write the line as EnvironmentFile=-" + f.path()));
            }
        }
        return findings;
    }

    private static Optional<EnvFile> read(Path file, Map<Path, EnvFile> planned) {
        if (planned.containsKey(file)) {
            return Optional.of(planned.get(file));
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(EnvFile.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
