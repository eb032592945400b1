package dev.stowage.config;

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
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A systemd service as systemd loads it: the unit file found first on the search path
 * (/etc/systemd/system before /run before /usr/lib and /lib), then its drop-ins
 * ({@code NAME.d/*.conf} from every directory, a name in an earlier directory hiding the same
 * name in a later one) in file-name order. Of its {@code [Service]} directives only those that
 * decide dockerd's command line matter here: {@code ExecStart=}, {@code EnvironmentFile=} and
 * {@code Environment=}, where an empty assignment resets the list built so far.
 */
final class ServiceUnit {
    private final List<Path> files;
    private final List<String> execStarts;
    private final Path execStartFile;
    private final List<EnvironmentFile> environmentFiles;
    private final Map<String, String> environment;

    /** An {@code EnvironmentFile=} entry; {@code optional} for the {@code -} prefix. */
    record EnvironmentFile(String path, boolean optional, Path declaredIn) {
    }

    private ServiceUnit(List<Path> files, List<String> execStarts, Path execStartFile,
            List<EnvironmentFile> environmentFiles, Map<String, String> environment) {
        this.files = List.copyOf(files);
        this.execStarts = List.copyOf(execStarts);
        this.execStartFile = execStartFile;
        this.environmentFiles = List.copyOf(environmentFiles);
        this.environment = Map.copyOf(environment);
    }

    /** Loads {@code name} from {@code dirs}, highest priority first; empty if no unit file exists. */
    static Optional<ServiceUnit> load(List<Path> dirs, String name) {
        Path main = dirs.stream().map(d -> d.resolve(name)).filter(Files::isRegularFile).findFirst().orElse(null);
        if (main == null) {
            return Optional.empty();
        }
        Map<String, Path> dropIns = new TreeMap<>();
        for (Path dir : dirs) {
            Path d = dir.resolve(name + ".d");
            if (Files.isDirectory(d)) {
                try (Stream<Path> confs = Files.list(d)) {
                    confs.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p))
                            .forEach(p -> dropIns.putIfAbsent(p.getFileName().toString(), p));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + d, e);
                }
            }
        }
        List<Path> files = new ArrayList<>();
        files.add(main);
        files.addAll(dropIns.values());
        return Optional.of(read(files));
    }

    private static ServiceUnit read(List<Path> files) {
        List<String> execStarts = new ArrayList<>();
        Path execStartFile = null;
        List<EnvironmentFile> environmentFiles = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (Path file : files) {
            for (String[] directive : directives(file)) {
                String key = directive[0];
                String value = directive[1];
                if (key.equals("ExecStart")) {
                    if (value.isEmpty()) {
                        execStarts.clear();
                        execStartFile = null;
                    } else {
                        execStarts.add(value);
                        execStartFile = file;
                    }
                } else if (key.equals("EnvironmentFile")) {
                    if (value.isEmpty()) {
                        environmentFiles.clear();
                    } else {
                        boolean optional = value.startsWith("-");
                        environmentFiles.add(new EnvironmentFile(optional ? value.substring(1) : value, optional, file));
                    }
                } else if (key.equals("Environment")) {
                    if (value.isEmpty()) {
                        environment.clear();
                    }
                    for (String assignment : CommandWords.split(value)) {
                        int eq = assignment.indexOf('=');
                        if (eq > 0) {
                            environment.put(assignment.substring(0, eq), assignment.substring(eq + 1));
                        }
                    }
                }
            }
        }
        return new ServiceUnit(files, execStarts, execStartFile, environmentFiles, environment);
    }

    /** The {@code [Service]} directives of one file as key/value pairs, continuations joined. */
    static List<String[]> directives(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return parse(lines);
    }

    static List<String[]> parse(List<String> lines) {
        List<String[]> directives = new ArrayList<>();
        String section = "";
        StringBuilder pending = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (pending == null && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (pending != null && (line.startsWith("#") || line.startsWith(";"))) {
                continue; // systemd skips comment lines inside a continued line
            }
            if (line.endsWith("\\")) {
                pending = (pending == null ? new StringBuilder() : pending).append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String full = pending == null ? line : pending.append(line).toString();
            pending = null;
            if (full.startsWith("[") && full.endsWith("]")) {
                section = full;
                continue;
            }
            int eq = full.indexOf('=');
            if (section.equals("[Service]") && eq > 0) {
                directives.add(new String[] {full.substring(0, eq).strip(), full.substring(eq + 1).strip()});
            }
        }
        return directives;
    }

    /** Unit file first, then the drop-ins in the order applied. */
    List<Path> files() {
        return files;
    }

    /** The command line systemd runs: the last {@code ExecStart=} after the last reset. */
    Optional<String> execStart() {
        return execStarts.isEmpty() ? Optional.empty() : Optional.of(execStarts.get(execStarts.size() - 1));
    }

    /**
     * How many {@code ExecStart=} lines are left after the last reset. More than one makes systemd
     * refuse to start a service that is not {@code Type=oneshot}: the classic drop-in that forgot
     * its empty {@code ExecStart=}.
     */
    int execStartCount() {
        return execStarts.size();
    }

    /** The file that set {@link #execStart()}. */
    Optional<Path> execStartFile() {
        return Optional.ofNullable(execStartFile);
    }

    List<EnvironmentFile> environmentFiles() {
        return environmentFiles;
    }

    Map<String, String> environment() {
        return environment;
    }
}
