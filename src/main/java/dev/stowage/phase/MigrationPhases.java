package dev.stowage.phase;

import dev.stowage.archive.BlobCorruptException;
import dev.stowage.journal.JournalRecord;
import dev.stowage.model.BlobRef;
import dev.stowage.model.ByteSize;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Manifest;
import dev.stowage.model.NetworkRecord;
import dev.stowage.model.StowageException;
import dev.stowage.report.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The phases of a migration, in order. Each is safe to run again after a crash part way through it. */
final class MigrationPhases {
    private MigrationPhases() {
    }

    static List<MigrationPhase> all() {
        return List.of(
                phase("precheck", "check the daemon, the target and the migration directory", MigrationPhases::precheck),
                phase("export", "export images, containers, volumes and networks", MigrationPhases::export),
                phase("verify-export", "re-verify every blob of the export", MigrationPhases::verifyExport),
                phase("stop-daemon", "stop the Docker daemon", MigrationPhases::stopDaemon),
                phase("reset", "wipe the old data-root (the point of no return)", MigrationPhases::reset),
                phase("modify", "write the new storage settings", MigrationPhases::modify),
                phase("start-daemon", "start the daemon and check it runs the new settings", MigrationPhases::startDaemon),
                phase("import", "import everything into the new storage", MigrationPhases::importAll),
                phase("verify", "compare the daemon with the export", MigrationPhases::verify),
                phase("cleanup", "remove the export if asked (--cleanup)", MigrationPhases::cleanup));
    }

    private static MigrationPhase phase(String name, String description, Consumer<MigrationRun> body) {
        return new MigrationPhase() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public void run(MigrationRun run) {
                body.accept(run);
            }
        };
    }

    private static void precheck(MigrationRun run) {
        DaemonFacts facts = run.daemon().facts();
        Path source = Path.of(facts.dataRoot());
        Path target = run.target().dataRoot() == null ? source : run.target().dataRoot();
        DataRootGuard.check(source, run.workspace().dir().root());
        DataRootGuard.check(target, run.workspace().dir().root());
        run.settings().validate(run.target(), run.reporter());
        run.reporter().emit(Event.Notice.info("source: Docker " + facts.engineVersion() + ", " + facts.storageDriver()
                + " on " + facts.dataRoot() + "; target: " + run.target().describe()));
    }

    /** Runs the export unless this migration already finished one (its session completed since the phase began). */
    private static void export(MigrationRun run) {
        if (exportFinishedDuringThisPhase(run)) {
            return;
        }
        new StorageExport(run.daemon(), run.workspace(), run.reporter())
                .run(new StorageExport.Options(false, run.options().live(), run.options().compression(),
                        run.options().preflight()));
    }

    private static boolean exportFinishedDuringThisPhase(MigrationRun run) {
        List<JournalRecord> records = run.workspace().journal().records();
        long phaseStart = -1;
        for (JournalRecord record : records) {
            if (record.unit().equals("migrate/phase/export") && record.type().equals(JournalRecord.STARTED)
                    && phaseStart < 0) {
                phaseStart = record.seq();
            }
        }
        final long since = phaseStart;
        return since >= 0 && records.stream().anyMatch(r -> r.unit().equals("export/complete")
                && r.type().equals(JournalRecord.DONE) && r.seq() > since)
                && run.workspace().dir().manifest().isPresent();
    }

    private static void verifyExport(MigrationRun run) {
        Manifest manifest = run.manifest();
        long bytes = 0;
        for (BlobRef blob : manifest.blobs().values()) {
            try {
                run.workspace().dir().blobs().verify(blob.digest(), blob.size());
                bytes += blob.size();
            } catch (BlobCorruptException e) {
                throw new StowageException(ExitCode.VERIFY, "the export is damaged before anything was reset: "
                        + e.getMessage(), "the daemon is untouched; run migrate again (the export rewrites the blob)", e);
            } catch (IOException e) {
                throw new StowageException(ExitCode.VERIFY, "cannot read blob " + blob.digest() + ": " + e.getMessage(),
                        "check the migration directory's disk", e);
            }
        }
        run.reporter().emit(Event.Notice.info("export verified: " + manifest.blobs().size() + " blobs, "
                + ByteSize.of(bytes).human() + ", every one hashes to its name"));
    }

    private static void stopDaemon(MigrationRun run) {
        run.disconnect();
        run.control().stop(run.options().daemonTimeout());
        run.reporter().emit(Event.Notice.info("the Docker daemon is stopped (" + run.control().describe() + ")"));
    }

    private static void reset(MigrationRun run) {
        run.control().stop(run.options().daemonTimeout()); // after a reboot, it may have come back: never reset under it
        Manifest manifest = run.manifest();
        Path source = Path.of(manifest.source().dataRoot());
        Path target = run.target().dataRoot();
        if (target != null && !target.equals(source) && !run.options().keepOld()) {
            run.reporter().emit(Event.Notice.info("the data-root moves to " + target + "; the old one, " + source
                    + ", is left as it is: remove it once the migration is verified (`stowage storage reset --dir "
                    + run.workspace().dir().root() + " --data-root " + source + "`)"));
            return;
        }
        new StorageReset(run.workspace(), run.reporter(), run.confirmation(), run.host())
                .run(manifest, new StorageReset.Options(source, false, run.options().keepOld(), false));
    }

    private static void modify(MigrationRun run) {
        run.control().stop(run.options().daemonTimeout());
        run.settings().apply(run.target(), run.reporter());
    }

    private static void startDaemon(MigrationRun run) {
        NetworkBridges.removeLeftovers(run.manifest(), run.host(), run.reporter());
        DaemonFacts facts = run.control().start(run.options().daemonTimeout());
        Optional<String> wrong = mismatch(run.target(), facts);
        if (wrong.isPresent()) {
            run.control().stop(run.options().daemonTimeout());
            throw new StowageException(ExitCode.PRECHECK, "the daemon started, but " + wrong.get() + "; it was stopped"
                    + " again so that nothing is imported into the wrong storage" + log(run),
                    "check for a --storage-driver/--data-root flag overriding daemon.json (unit file, /etc/sysconfig/docker)"
                            + ", fix it, and run migrate again");
        }
        run.reporter().emit(Event.Notice.info("the daemon runs " + facts.storageDriver() + " on " + facts.dataRoot()));
    }

    static Optional<String> mismatch(MigrationTarget target, DaemonFacts facts) {
        if (!target.driver().equals(facts.storageDriver())) {
            return Optional.of("it runs the " + facts.storageDriver() + " driver, not " + target.driver());
        }
        if (target.dataRoot() != null && !target.dataRoot().toString().equals(facts.dataRoot())) {
            return Optional.of("its data-root is " + facts.dataRoot() + ", not " + target.dataRoot());
        }
        return Optional.empty();
    }

    private static String log(MigrationRun run) {
        String log = run.control().recentLog();
        return log.isBlank() ? "" : "; its log says:\n" + log;
    }

    private static void importAll(MigrationRun run) {
        new StorageImport(run.daemon(), run.workspace(), run.reporter())
                .run(run.manifest(), new StorageImport.Options(false, run.options().noStart(), run.options().preflight()));
    }

    private static void verify(MigrationRun run) {
        Verification.Report report = new Verification(run.daemon(), run.workspace().dir())
                .compare(run.manifest(), true, run.options().noStart());
        report.lines().forEach(line -> run.reporter().emit(Event.Notice.info(line)));
        if (!report.differences().isEmpty()) {
            throw new StowageException(ExitCode.VERIFY, report.differences().size() + " difference(s) after the"
                    + " migration: " + String.join("; ", report.differences().subList(0,
                            Math.min(5, report.differences().size()))),
                    "`stowage storage verify` lists them all; the export is kept in the migration directory");
        }
    }

    private static void cleanup(MigrationRun run) {
        if (!run.options().cleanup()) {
            run.reporter().emit(Event.Notice.info("the export is kept in " + run.workspace().dir().root()
                    + "; remove it when satisfied (or run migrate with --cleanup)"));
            return;
        }
        try {
            long removed = run.workspace().dir().removeExport();
            run.reporter().emit(Event.Notice.info("removed the export (" + removed + " files) from "
                    + run.workspace().dir().root() + "; the journal stays as a record"));
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot remove the export: " + e.getMessage(),
                    "remove " + run.workspace().dir().root() + " by hand", e);
        }
    }
}
