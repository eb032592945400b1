package dev.stowage.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A planned replacement of one file's whole content.
 *
 * @param path the file as written (a symlink is followed: the file it points to is replaced)
 * @param before its content when planned, or null if it does not exist yet
 * @param changes one sentence per setting changed, e.g. {@code storage-driver: vfs -> overlay2}
 */
public record FileEdit(Path path, String before, String after, List<String> changes) {
    public FileEdit {
        Objects.requireNonNull(path);
        Objects.requireNonNull(after);
        changes = List.copyOf(changes);
    }

    public boolean creates() {
        return before == null;
    }

    /** The unified diff, old to new. */
    public String diff() {
        return UnifiedDiff.of(path.toString(), before, after);
    }
}
