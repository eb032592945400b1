package dev.stowage.phase;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.archive.BlobCorruptException;
import dev.stowage.archive.MigrationDir;
import dev.stowage.archive.TreeSize;
import dev.stowage.fs.Fsync;
import dev.stowage.fs.TreeRemover;
import dev.stowage.journal.Journal;
import dev.stowage.model.BlobRef;
import dev.stowage.model.ByteSize;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.Manifest;
import dev.stowage.model.StowageException;
import dev.stowage.probe.MountEntry;
import dev.stowage.probe.MountTable;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code stowage storage reset}: wipes the daemon's data-root, but only once a complete, verified
 * export of exactly that data-root is in the migration directory, and only while no daemon uses
 * it. Mounts left below it are unmounted first; a data-root that is itself a mount point is
 * emptied, not removed. With {@code keepOld} nothing is deleted: the old data-root is renamed
 * aside (no space needed: it stays on its filesystem) so that a failed migration can roll back.
 */
public final class StorageReset {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** What the operator asked for. */
    public record Options(Path dataRoot, boolean force, boolean keepOld, boolean dryRun) {
    }

    /** What was done: the data-root, and where the old content went (null when deleted). */
    public record Result(Path dataRoot, Path keptAt, long bytes) {
    }

    private final MigrationDir dir;
    private final Journal journal;
    private final Reporter reporter;
    private final Confirmation confirmation;
    private final dev.stowage.docker.DockerHost host;

    /** @param host the daemon the data-root belongs to: its networks' leftover bridges go too (null: leave them) */
    public StorageReset(Workspace workspace, Reporter reporter, Confirmation confirmation,
            dev.stowage.docker.DockerHost host) {
        this.dir = workspace.dir();
        this.journal = workspace.journal();
        this.reporter = reporter;
        this.confirmation = confirmation;
        this.host = host;
    }

    /**
     * Resets the data-root. The caller has stopped the daemon (reset checks that no process still
     * uses the data-root).
     *
     * @param manifest the export, or null when there is none (then only {@code force} goes on)
     */
    public Result run(Manifest manifest, Options options) {
        Path dataRoot = dataRoot(manifest, options);
        DataRootGuard.check(dataRoot, dir.root());
        checkExport(manifest, dataRoot, options.force());
        if (!Files.isDirectory(dataRoot, LinkOption.NOFOLLOW_LINKS)) {
            reporter.emit(new Event.Summary("reset", fields(dataRoot, 0, options, options.dryRun(), null),
                    List.of("the data-root " + dataRoot + " does not exist: nothing to reset")));
            return new Result(dataRoot, null, 0);
        }
        if (!options.dryRun()) {
            DataRootUsers.refuseIfInUse(dataRoot);
        }
        List<Path> mounts = mountsBelow(dataRoot);
        long bytes = size(dataRoot);
        boolean mountPoint = isMountPoint(dataRoot);
        String action = options.keepOld() ? "move aside" : "DELETE";
        String plan = String.format("reset would %s everything in %s (%s allocated%s%s)", action, dataRoot,
                ByteSize.of(bytes).human(), mounts.isEmpty() ? "" : ", after unmounting " + mounts.size() + " mounts below it",
                mountPoint ? "; it is a mount point, so it is emptied and kept" : "");
        if (options.dryRun()) {
            reporter.emit(new Event.Summary("reset", fields(dataRoot, bytes, options, true, null), List.of("dry run: " + plan)));
            return new Result(dataRoot, null, bytes);
        }
        if (!confirmation.confirm(plan + ". The export in " + dir.root() + " was verified. Go ahead?")) {
            throw new StowageException(ExitCode.PRECHECK, "reset not confirmed; nothing was changed", null);
        }
        String unit = "reset/" + dataRoot;
        journal.started(unit, Json.mapper().createObjectNode().put("keep_old", options.keepOld()));
        unmount(mounts);
        Path keptAt = null;
        try {
            if (options.keepOld()) {
                keptAt = moveAside(dataRoot, mountPoint);
            } else {
                TreeRemover.emptyDirectory(dataRoot);
            }
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "reset of " + dataRoot + " stopped: " + e.getMessage(),
                    "fix the cause and run reset again; the export in " + dir.root() + " is untouched", e);
        }
        ObjectNode done = Json.mapper().createObjectNode().put("bytes", bytes);
        if (keptAt != null) {
            done.put("kept_at", keptAt.toString());
        }
        journal.done(unit, done);
        if (manifest != null && host != null) {
            NetworkBridges.removeLeftovers(manifest, host, reporter);
        }
        reporter.emit(new Event.Summary("reset", fields(dataRoot, bytes, options, false, keptAt), List.of(keptAt == null
                ? String.format("reset %s: deleted %s", dataRoot, ByteSize.of(bytes).human())
                : String.format("reset %s: the old content (%s) is kept at %s; delete it once the migration is verified",
                        dataRoot, ByteSize.of(bytes).human(), keptAt))));
        return new Result(dataRoot, keptAt, bytes);
    }

    private static Path dataRoot(Manifest manifest, Options options) {
        if (options.dataRoot() != null) {
            return options.dataRoot().toAbsolutePath().normalize();
        }
        if (manifest == null || manifest.source().dataRoot() == null) {
            throw new StowageException(ExitCode.USAGE, "no data-root to reset: there is no export to read it from",
                    "pass --data-root");
        }
        return Path.of(manifest.source().dataRoot()).toAbsolutePath().normalize();
    }

    /** The export must be finished, of this data-root, and every blob must still hash to its name. */
    private void checkExport(Manifest manifest, Path dataRoot, boolean force) {
        List<String> problems = new ArrayList<>();
        if (manifest == null) {
            problems.add("there is no finished export in " + dir.root());
        } else {
            if (!dataRoot.toString().equals(manifest.source().dataRoot())) {
                problems.add("the export in " + dir.root() + " is of " + manifest.source().dataRoot() + ", not of " + dataRoot);
            }
            problems.addAll(verifyBlobs(manifest));
        }
        if (problems.isEmpty()) {
            return;
        }
        if (!force) {
            throw new StowageException(ExitCode.PRECHECK, "reset refused: " + String.join("; ", problems)
                    + "; nothing was deleted", "run `stowage storage export` (again) first; --force resets anyway and"
                    + " loses whatever the export lacks");
        }
        reporter.emit(Event.Notice.warning("--force: resetting although " + String.join("; ", problems)
                + ". Whatever is not in the export is LOST.", null));
    }

    private List<String> verifyBlobs(Manifest manifest) {
        List<String> problems = new ArrayList<>();
        reporter.emit(new Event.Step("re-verifying the " + manifest.blobs().size() + " blobs of the export before reset"));
        for (BlobRef blob : manifest.blobs().values()) {
            try {
                dir.blobs().verify(blob.digest(), blob.size());
            } catch (BlobCorruptException e) {
                problems.add(e.getMessage());
            } catch (IOException e) {
                problems.add("blob " + blob.digest() + " cannot be read: " + e.getMessage());
            }
        }
        return problems;
    }

    private static List<Path> mountsBelow(Path dataRoot) {
        List<Path> below = new ArrayList<>();
        for (MountEntry mount : MountTable.read(Path.of("/proc/self/mountinfo")).entries()) {
            if (mount.mountPoint().startsWith(dataRoot) && !mount.mountPoint().equals(dataRoot)) {
                below.add(mount.mountPoint());
            }
        }
        below.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return below;
    }

    private static boolean isMountPoint(Path dataRoot) {
        return MountTable.read(Path.of("/proc/self/mountinfo")).entries().stream()
                .anyMatch(m -> m.mountPoint().equals(dataRoot));
    }

    private static void unmount(List<Path> mounts) {
        for (Path mount : mounts) {
            try {
                Process umount = new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start();
                String output = new String(umount.getInputStream().readAllBytes()).strip();
                if (!umount.waitFor(60, TimeUnit.SECONDS) || umount.exitValue() != 0) {
                    throw new StowageException(ExitCode.PRECHECK, "cannot unmount " + mount + ": " + output
                            + "; nothing was deleted", "find what still uses it (`fuser -vm " + mount + "`), stop it, retry");
                }
            } catch (IOException e) {
                throw new StowageException(ExitCode.PRECHECK, "cannot run umount: " + e.getMessage(), null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StowageException(ExitCode.INTERRUPTED, "interrupted while unmounting", null);
            }
        }
        List<Path> left = new ArrayList<>();
        mounts.forEach(m -> {
            if (isMountPoint(m)) {
                left.add(m);
            }
        });
        if (!left.isEmpty()) {
            throw new StowageException(ExitCode.PRECHECK, "still mounted below the data-root: " + left
                    + "; nothing was deleted", "unmount them by hand and run reset again");
        }
    }

    /** Renames the old data-root aside on its own filesystem; a mount point keeps its mount and gets a subdirectory. */
    private static Path moveAside(Path dataRoot, boolean mountPoint) throws IOException {
        String stamp = "stowage-old-" + LocalDateTime.now().format(STAMP);
        if (!mountPoint) {
            Path aside = dataRoot.resolveSibling(dataRoot.getFileName() + "." + stamp);
            Files.move(dataRoot, aside);
            Files.createDirectory(dataRoot);
            Files.setPosixFilePermissions(dataRoot, Files.getPosixFilePermissions(aside));
            Fsync.directory(dataRoot.getParent());
            return aside;
        }
        Path aside = dataRoot.resolve("." + stamp);
        Files.createDirectory(aside);
        try (var entries = Files.list(dataRoot)) {
            for (Path entry : entries.filter(e -> !e.equals(aside)).toList()) {
                Files.move(entry, aside.resolve(entry.getFileName()));
            }
        }
        Fsync.directory(dataRoot);
        return aside;
    }

    private static long size(Path dataRoot) {
        try {
            return TreeSize.allocated(dataRoot);
        } catch (IOException e) {
            return -1;
        }
    }

    private Map<String, Object> fields(Path dataRoot, long bytes, Options options, boolean dryRun, Path keptAt) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dry_run", dryRun);
        fields.put("data_root", dataRoot.toString());
        fields.put("bytes", bytes);
        fields.put("keep_old", options.keepOld());
        fields.put("forced", options.force());
        if (keptAt != null) {
            fields.put("kept_at", keptAt.toString()); // where a script finds the old content to roll back or delete
        }
        return fields;
    }
}
