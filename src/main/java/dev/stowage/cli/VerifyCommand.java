package dev.stowage.cli;

import dev.stowage.journal.JournalRecord;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Manifest;
import dev.stowage.model.StowageException;
import dev.stowage.phase.Verification;
import dev.stowage.phase.Workspace;
import dev.stowage.report.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stowage storage verify}. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Compare the live daemon with an export and print every difference",
        description = {
            "Compare the live daemon with the export's manifest and print every difference: image IDs and tags;"
                    + " networks (driver, subnets, flags); volumes (a digest over paths, contents and metadata of"
                    + " each tree); containers (image, configuration field by field, network attachments, state,"
                    + " and the writable layer entry by entry).",
            "",
            "Exit code 6 when anything differs. Import runs the same comparison at its end."
        })
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Whether an import of this export finished: until then, containers the export stopped are meant to be stopped. */
    private static boolean importedSince(Workspace workspace, Manifest manifest) {
        return workspace.journal().records().stream().anyMatch(r -> r.unit().equals("import/complete")
                && r.type().equals(JournalRecord.DONE) && r.time().isAfter(manifest.createdAt()));
    }

    @Override
    public Integer call() {
        StowageCommand root = (StowageCommand) spec.root().userObject();
        GlobalOptions options = root.options();
        Manifest manifest = Exports.require(options.dir);
        root.inWorkspace("storage verify", (daemon, workspace) -> {
            Verification verification = new Verification(daemon, workspace.dir());
            if (!importedSince(workspace, manifest)) {
                verification.beforeImport();
            }
            Verification.Report report = verification.compare(manifest, true, false);
            report.differences().forEach(d -> root.reporter().emit(Event.Notice.warning(d, null)));
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("differences", report.differences().size());
            fields.put("verified", report.differences().isEmpty());
            root.reporter().emit(new Event.Summary("verify", fields, report.lines()));
            if (!report.differences().isEmpty()) {
                throw new StowageException(ExitCode.VERIFY, report.differences().size()
                        + " difference(s) between the daemon and the export in " + options.dir,
                        "see the list above; `stowage storage import` restores what is missing");
            }
        });
        return 0;
    }

}
