package dev.stowage.config;

import dev.stowage.fs.AtomicFile;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Replaces a config file the safe way: the old content is first copied to a backup beside it
 * ({@code daemon.json.stowage-20250101T120000Z.bak}, 0600, fsynced), then the new content is
 * written atomically with the old file's mode and owner. Idempotent: a file that already holds
 * the new content is left alone, and a backup of the same old content is taken only once, also
 * when a crash came between the backup and the rename.
 */
final class FileReplacer {
    static final String BACKUP_INFIX = ".stowage-";
    static final String BACKUP_SUFFIX = ".bak";
    /** Mode of a config file created from nothing: what package managers give /etc/docker/daemon.json. */
    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;

    FileReplacer(Clock clock) {
        this.clock = clock;
    }

    /** What applying one edit did. */
    record Outcome(Path path, Optional<Path> backup, boolean written) {
    }

    Outcome replace(FileEdit edit) {
        Path target = resolve(edit.path());
        try {
            Optional<String> current = read(target);
            if (current.isPresent() && current.get().equals(edit.after())) {
                return new Outcome(edit.path(), existingBackup(target, edit.before()), false);
            }
            if (!current.equals(Optional.ofNullable(edit.before()))) {
                throw new StowageException(ExitCode.PRECHECK, target + " changed since stowage read it",
                        "someone else is editing it; run stowage again to plan from its new content");
            }
            Optional<Path> backup = Optional.empty();
            PosixFileAttributes attributes = null;
            if (current.isPresent()) {
                attributes = Files.readAttributes(target, PosixFileAttributes.class);
                backup = Optional.of(backup(target, current.get()));
            } else {
                Files.createDirectories(target.getParent());
            }
            PosixFileAttributes old = attributes;
            AtomicFile.write(target, out -> out.write(edit.after().getBytes(StandardCharsets.UTF_8)),
                    temp -> keepAttributes(temp, old));
            return new Outcome(edit.path(), backup, true);
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot write " + target + ": " + e.getMessage(),
                    "check that the filesystem is writable and that stowage runs as root; " + target + " is unchanged",
                    e);
        }
    }

    /** The file a symlink points to: replacing the link itself would cut it loose. */
    private static Path resolve(Path path) {
        try {
            return Files.isSymbolicLink(path) ? path.toRealPath() : path;
        } catch (IOException e) {
            return path;
        }
    }

    private static Optional<String> read(Path file) throws IOException {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }

    private Path backup(Path target, String content) throws IOException {
        Optional<Path> existing = existingBackup(target, content);
        if (existing.isPresent()) {
            return existing.get();
        }
        String base = target.getFileName() + BACKUP_INFIX + STAMP.format(clock.instant());
        Path backup = target.resolveSibling(base + BACKUP_SUFFIX);
        for (int n = 1; Files.exists(backup, LinkOption.NOFOLLOW_LINKS); n++) {
            backup = target.resolveSibling(base + "-" + n + BACKUP_SUFFIX);
        }
        AtomicFile.write(backup, content.getBytes(StandardCharsets.UTF_8));
        return backup;
    }

    /** A backup of {@code target} that already holds {@code content}. */
    static Optional<Path> existingBackup(Path target, String content) {
        if (content == null || target.getParent() == null || !Files.isDirectory(target.getParent())) {
            return Optional.empty();
        }
        String prefix = target.getFileName() + BACKUP_INFIX;
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            return siblings.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().endsWith(BACKUP_SUFFIX))
                    .sorted()
                    .filter(p -> sameContent(p, content))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean sameContent(Path file, String content) {
        try {
            return Files.size(file) == content.getBytes(StandardCharsets.UTF_8).length
                    && Files.readString(file, StandardCharsets.UTF_8).equals(content);
        } catch (IOException e) {
            return false;
        }
    }

    private static void keepAttributes(Path temp, PosixFileAttributes old) throws IOException {
        if (old == null) {
            Files.setPosixFilePermissions(temp, NEW_FILE_MODE);
            return;
        }
        Files.setPosixFilePermissions(temp, old.permissions());
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        UserPrincipal owner = old.owner();
        GroupPrincipal group = old.group();
        view.setOwner(owner);
        view.setGroup(group);
    }
}
