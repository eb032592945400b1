package dev.stowage.phase;

import dev.stowage.fs.NoSpaceException;
import dev.stowage.model.ByteSize;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import dev.stowage.plan.FilesystemBudget;
import dev.stowage.plan.SpacePlan;
import dev.stowage.plan.SpaceTable;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Holds a run to its space plan: refuses to start (exit code 4) when the plan does not fit, before
 * anything is written; and when a disk fills anyway (something else took the space meanwhile),
 * adds to the error what the plan expected there.
 */
final class SpaceGate {
    private SpaceGate() {
    }

    /**
     * Refuses the run if the plan does not fit, unless the check is off; then it warns.
     *
     * @param hint what the operator can do, e.g. "export to another filesystem with --dir"
     */
    static void require(SpacePlan plan, Preflight preflight, Reporter reporter, String hint) {
        if (plan.fits()) {
            return;
        }
        String shortfalls = plan.shortfalls().stream().map(FilesystemBudget::describe).collect(Collectors.joining("; "));
        if (!preflight.spaceCheck()) {
            reporter.emit(Event.Notice.warning("the space plan does not fit (" + shortfalls + "); going ahead because"
                    + " of --no-space-check", "expect the run to stop when the disk fills; a rerun carries on"));
            return;
        }
        throw new StowageException(ExitCode.NO_SPACE, "not enough space for the " + plan.operation() + ": "
                + shortfalls, "free space there, or " + hint + "; `--dry-run` shows the whole plan");
    }

    /** One line per filesystem for a run that goes ahead: what it needs where, and what is free. */
    static void announce(SpacePlan plan, Reporter reporter) {
        for (FilesystemBudget budget : plan.budgets()) {
            if (budget.neededBytes() > 0) {
                reporter.emit(Event.Notice.info("space: " + budget.describe()));
            }
        }
    }

    /**
     * A full filesystem met mid-run, with what the plan expected there added; any other error as
     * it was.
     */
    static StowageException explain(StowageException e, SpacePlan plan) {
        if (e.exitCode() != ExitCode.NO_SPACE || !NoSpaceException.isNoSpace(e)) {
            return e;
        }
        String expected = plan.budgets().stream().map(b -> b.filesystem().mountPoint() + ": about "
                + ByteSize.of(b.neededBytes()).human() + " needed, " + ByteSize.of(b.filesystem().freeBytes()).human()
                + " free at the start").collect(Collectors.joining("; "));
        return new StowageException(ExitCode.NO_SPACE, e.getMessage() + " (the plan: " + expected
                + "; something else used the space meanwhile, or the estimate fell short)", e.hint(), e);
    }

    /** The plan's part of a summary: the table's lines and rows, and the headline figures. */
    static SummaryPart summary(SpacePlan plan) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("fits", plan.fits());
        fields.put("space_plan", SpaceTable.rows(plan));
        fields.put("space_totals", SpaceTable.totals(plan));
        return new SummaryPart(fields, List.copyOf(SpaceTable.lines(plan)));
    }
}
