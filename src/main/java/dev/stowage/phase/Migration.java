package dev.stowage.phase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.journal.JournalRecord;
import dev.stowage.journal.Session;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.report.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stowage storage migrate}: the phases in order, each journalled before and after, so that a
 * crash, a {@code kill -9}, a reboot or Ctrl-C at any point is followed by a rerun that carries on
 * from the phase that did not finish. A rerun must ask for the same target as the first run.
 */
public final class Migration {
    public static final List<MigrationPhase> PHASES = MigrationPhases.all();
    static final String TARGET = "migrate/target";

    private Migration() {
    }

    /**
     * Shows what a migration would do and whether the export fits (exit code 4 if not), writing
     * nothing: the target's validation, the export plan, and the phases to run.
     */
    public static void dryRun(MigrationRun run) {
        DaemonFacts facts = run.daemon().facts();
        Optional<String> change = MigrationPhases.mismatch(run.target(), facts);
        if (change.isEmpty()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("dry_run", true);
            fields.put("changed", false);
            run.reporter().emit(new Event.Summary("migrate", fields, List.of("dry run: the daemon already runs "
                    + facts.storageDriver() + " on " + facts.dataRoot() + ": nothing to migrate")));
            return;
        }
        run.settings().validate(run.target(), run.reporter());
        for (MigrationPhase phase : PHASES) {
            run.reporter().emit(Event.Notice.info("would " + phase.name() + ": " + phase.describe()));
        }
        new StorageExport(run.daemon(), run.workspace(), run.reporter())
                .run(new StorageExport.Options(true, run.options().live(), run.options().compression(),
                        run.options().preflight()));
    }

    public static void run(MigrationRun run) {
        long start = System.nanoTime();
        Session session = run.session();
        checkSameTarget(session, run.target());
        if (!session.resuming() || onlyTargetRecorded(session)) {
            Optional<DaemonFacts> facts = DaemonFactsNow.of(run);
            if (facts.isPresent() && MigrationPhases.mismatch(run.target(), facts.get()).isEmpty()) {
                session.complete(Json.mapper().createObjectNode().put("changed", false));
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("changed", false);
                fields.put("target_driver", run.target().driver());
                fields.put("target_data_root", facts.get().dataRoot());
                run.reporter().emit(new Event.Summary("migrate", fields, List.of("the daemon at " + run.host()
                        + " already runs " + facts.get().storageDriver() + " on " + facts.get().dataRoot()
                        + ": nothing to migrate")));
                return;
            }
        }
        run.reporter().emit(new Event.Step((session.resuming() ? "resuming" : "starting")
                + " the migration of " + run.host() + " to " + run.target().describe() + " (" + run.control().describe()
                + ")"));
        for (MigrationPhase phase : PHASES) {
            String unit = unit(phase);
            if (session.isDone(unit)) {
                continue;
            }
            run.reporter().emit(new Event.Step("== " + phase.name() + ": " + phase.describe()));
            session.started(unit, null);
            phase.run(run);
            session.done(unit, null);
        }
        ObjectNode done = Json.mapper().createObjectNode().put("target", run.target().describe());
        session.complete(done);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("changed", true);
        fields.put("target_driver", run.target().driver());
        // without --data-root the data-root stays where it was: report it, never the string "null"
        fields.put("target_data_root", run.target().dataRoot() != null ? run.target().dataRoot().toString()
                : run.daemon().facts().dataRoot());
        fields.put("phases", PHASES.size());
        fields.put("verified", true);
        fields.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        run.reporter().emit(new Event.Summary("migrate", fields, List.of(String.format(
                "migrated %s to %s in %.1f s: exported, reset, reconfigured, imported and verified", run.host(),
                run.target().describe(), (System.nanoTime() - start) / 1e9))));
    }

    /** True when the journal holds nothing of this session but the target just recorded. */
    private static boolean onlyTargetRecorded(Session session) {
        return session.units("migrate/phase/").isEmpty();
    }

    /** The daemon's facts if it answers now; a stopped daemon means a migration is under way. */
    private static final class DaemonFactsNow {
        static Optional<DaemonFacts> of(MigrationRun run) {
            try {
                return Optional.of(run.daemon().facts());
            } catch (StowageException e) {
                return Optional.empty();
            }
        }
    }

    static String unit(MigrationPhase phase) {
        return "migrate/phase/" + phase.name();
    }

    private static void checkSameTarget(Session session, MigrationTarget target) {
        JsonNode wanted = Json.mapper().valueToTree(target);
        Optional<JournalRecord> recorded = session.last(TARGET);
        if (recorded.isEmpty()) {
            session.note(TARGET, wanted);
            return;
        }
        if (!recorded.get().data().equals(wanted)) {
            throw new StowageException(ExitCode.JOURNAL, "a migration to " + recorded.get().data() + " is in progress"
                    + " in this migration directory; this run asks for " + wanted,
                    "run migrate again with the same --driver/--data-root/--storage-opt/--config-file to finish it");
        }
    }

    /**
     * The phases with their state from the journal: done, in progress, or to do. A phase in
     * progress is running when a run holds the migration directory, else it was interrupted.
     */
    public static List<String[]> states(Session session, boolean running) {
        String inProgress = running ? "in progress (running)" : "in progress (interrupted)";
        List<String[]> rows = new ArrayList<>();
        for (MigrationPhase phase : PHASES) {
            String state = session.last(unit(phase)).map(r -> r.type().equals(JournalRecord.DONE) ? "done"
                    : inProgress).orElse("to do");
            rows.add(new String[] {phase.name(), state, phase.describe()});
        }
        return rows;
    }
}
