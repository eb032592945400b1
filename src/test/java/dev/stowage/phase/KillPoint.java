package dev.stowage.phase;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where a test kills {@code stowage storage migrate} with SIGKILL, told from outside: a journal
 * record appears (a phase or a unit starts), and, for a kill in the middle of a stream, the data
 * being written shows on disk (a large temp blob in the migration directory, the daemon's load
 * staging under its data-root).
 *
 * @param phase the migration phase the kill lands in, which {@code storage status} must name
 * @param trigger the journal record to wait for
 * @param unit for a kill in the middle of a unit, the unit key prefix whose last record must still
 *     be {@code started} after the kill; null for a phase boundary
 * @param onDisk what must also be seen on disk before the kill (given the migration directory)
 * @param signal {@code KILL}; {@code INT} for a Ctrl-C; {@code STOP} to freeze the run, ask for its
 *     status, then kill it
 */
record KillPoint(String name, String phase, Predicate<JsonNode> trigger, String unit, Predicate<Path> onDisk,
        String signal) {
    /** A file at least this large is part of the 30 MB layer or volume, not of the small seed. */
    static final long LARGE = 8_000_000;

    @Override
    public String toString() {
        return name;
    }

    /** Right after the phase's {@code started} record: the boundary between it and the phase before. */
    static KillPoint boundary(String phase) {
        return new KillPoint("start of " + phase, phase, started("migrate/phase/" + phase), null, dir -> true,
                "KILL");
    }

    /** Between the {@code started} and the {@code done} record of the first unit under {@code prefix}. */
    static KillPoint midUnit(String name, String phase, String prefix) {
        return new KillPoint(name, phase, r -> r.path("type").asText().equals("started")
                && r.path("unit").asText().startsWith(prefix), prefix, dir -> true, "KILL");
    }

    /** This point, with SIGINT (what Ctrl-C sends) instead of SIGKILL. */
    KillPoint interrupt() {
        return new KillPoint("Ctrl-C at " + name, phase, trigger, unit, onDisk, "INT");
    }

    /**
     * This point, with SIGSTOP first: the run is frozen holding its lock, mid-unit, while the test
     * asks {@code storage status}; then SIGKILL.
     */
    KillPoint pausedForStatus() {
        return new KillPoint(name + " (status while it runs)", phase, trigger, unit, onDisk, "STOP");
    }

    /** The exit status of a JVM ended by the signal: 128 + its number. */
    int exitStatus() {
        return signal.equals("INT") ? 130 : 137;
    }

    /** Once the export's temp blob of the 30 MB layer is part written. */
    static KillPoint midLayerSave() {
        return new KillPoint("export, mid 30 MB layer", "export", started("migrate/phase/export"), null,
                dir -> largeFileUnder(dir.resolve("tmp")), "KILL");
    }

    /** Once the daemon is receiving the 30 MB layer of the load (it stages loads under {@code <data-root>/tmp}). */
    static KillPoint midLoad(Path dataRoot) {
        return new KillPoint("import, mid image load", "import", started("migrate/phase/import"), null,
                dir -> largeFileUnder(dataRoot.resolve("tmp")), "KILL");
    }

    private static Predicate<JsonNode> started(String unit) {
        return r -> r.path("type").asText().equals("started") && r.path("unit").asText().equals(unit);
    }

    private static boolean largeFileUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> {
                try {
                    return Files.isRegularFile(f) && Files.size(f) >= LARGE;
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // files come and go while we look: look again on the next poll
        }
    }
}
