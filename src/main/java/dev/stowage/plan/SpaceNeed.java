package dev.stowage.plan;

import java.util.Objects;

/**
 * One thing a run will write: what it is, how many of them, how many bytes and inodes, and where.
 *
 * @param path the directory it goes into
 * @param staging true for space the daemon uses only while a stream passes through it (the
 *     staging of {@code docker save} and {@code docker load} under {@code <data-root>/tmp}),
 *     released before the run moves on; false for what stays
 */
public record SpaceNeed(String what, long count, long bytes, long inodes, String path, Filesystem filesystem,
        boolean staging) {
    public SpaceNeed {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(filesystem, "filesystem");
        if (count < 0 || bytes < 0 || inodes < 0) {
            throw new IllegalArgumentException(what + ": negative count, bytes or inodes");
        }
    }

    public static SpaceNeed lasting(String what, long count, long bytes, long inodes, String path, Filesystem fs) {
        return new SpaceNeed(what, count, bytes, inodes, path, fs, false);
    }

    public static SpaceNeed staging(String what, long count, long bytes, long inodes, String path, Filesystem fs) {
        return new SpaceNeed(what, count, bytes, inodes, path, fs, true);
    }
}
