package dev.stowage.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.journal.Journal;
import dev.stowage.journal.JournalRecord;
import dev.stowage.journal.RunLock;
import dev.stowage.journal.Session;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.phase.Migration;
import dev.stowage.phase.MigrationTarget;
import dev.stowage.report.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stowage storage status}: reads the journal only; works while the daemon is down. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Show where a migration stands and what the next run will do",
        description = "Read the journal of the migration directory and show the migration's target, each phase"
                + " (done, interrupted, to do), the units done per kind, and what running migrate again would do."
                + " It only reads the journal, so it works while the daemon is stopped, and while a migrate runs"
                + " (it then says so, and which process it is).")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StowageCommand root = (StowageCommand) spec.root().userObject();
        GlobalOptions options = root.options();
        Path dir = options.dir.toAbsolutePath().normalize();
        // No run lock and no writes: status must answer while a migrate holds the directory
        Optional<String> holder = RunLock.holder(dir);
        boolean running = holder.isPresent();
        try (Journal journal = Journal.readOnly(dir)) {
            Session migrate = journal.session("migrate");
            List<String[]> phases = Migration.states(migrate, running);
            List<String> lines = new ArrayList<>();
            Map<String, Object> fields = new LinkedHashMap<>();
            MigrationTarget recorded = migrate.last("migrate/target").map(r -> target(r.data())).orElse(null);
            String target = recorded == null ? null : recorded.describe();
            String next = phases.stream().filter(p -> !p[1].equals("done")).findFirst()
                    .map(p -> p[0] + ": " + p[2]).orElse(null);
            if (target == null) {
                boolean finished = journal.records().stream().anyMatch(r -> r.unit().equals("migrate/complete"));
                lines.add(finished ? "no migration in progress; the last one finished" : "no migration in progress");
                next = null;
            } else {
                lines.add("migration in progress, target " + target);
                holder.ifPresent(h -> lines.add("a run is under way: " + h));
                for (String[] phase : phases) {
                    lines.add(String.format("  %-13s %-26s %s", phase[0], phase[1], phase[2]));
                }
            }
            Map<String, Integer> done = unitCounts(journal);
            done.forEach((kind, count) -> lines.add("  units done: " + kind + " " + count));
            if (next != null) {
                lines.add(running ? "the run under way is at " + next : "next run carries on with " + next);
            } else {
                // every phase done but the end not recorded: the run was stopped in its last steps
                lines.add(target != null ? "every phase is done; the next run only records the end"
                        : "next run: nothing to carry on");
            }
            fields.put("in_progress", target != null);
            fields.put("running", running);
            holder.ifPresent(h -> fields.put("holder", h));
            fields.put("target", recorded == null ? null : targetFields(recorded));
            List<Map<String, String>> phaseRows = new ArrayList<>();
            for (String[] phase : phases) {
                phaseRows.add(Map.of("phase", phase[0], "state", phase[1]));
            }
            fields.put("phases", phaseRows);
            fields.put("units_done", done);
            fields.put("next", next);
            root.reporter().emit(new Event.Summary("status", fields, lines));
        } finally {
            root.reporter().close();
        }
        return 0;
    }

    private static MigrationTarget target(JsonNode record) {
        try {
            return Json.mapper().treeToValue(record, MigrationTarget.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StowageException(ExitCode.JOURNAL, "unreadable migration target in the journal: " + record,
                    "run migrate again with the target you meant; it records it anew", e);
        }
    }

    /** The target as plain strings (the journal holds paths as file: URIs). */
    private static Map<String, Object> targetFields(MigrationTarget target) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("driver", target.driver());
        if (target.dataRoot() != null) {
            fields.put("data_root", target.dataRoot().toString());
        }
        fields.put("storage_opts", target.storageOpts());
        fields.put("config_file", target.configFile().toString());
        return fields;
    }

    /** Finished units per kind in the current export and import sessions, e.g. {@code export/volume: 2}. */
    private static Map<String, Integer> unitCounts(Journal journal) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String operation : List.of("export", "import")) {
            journal.session(operation).units(operation + "/").forEach((unit, record) -> {
                String[] parts = unit.split("/");
                if (parts.length >= 3 && record.type().equals(JournalRecord.DONE)) {
                    counts.merge(parts[0] + "/" + parts[1], 1, Integer::sum);
                }
            });
        }
        return counts;
    }
}
