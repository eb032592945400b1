package dev.stowage.model;

import java.util.Locale;
import java.util.Objects;

/**
 * One result of a check made before anything is changed: a fact worth showing, a warning, or a
 * blocker that refuses the run (exit code 3). Config planning, target validation and the
 * migration's precheck phase all speak this type, so that one list can hold all of them.
 *
 * @param subject what it is about: a path, a file, a flag
 * @param check a short snake_case name, stable for scripts: {@code d_type}, {@code xfs_ftype},
 *     {@code overlay_mount}, {@code flag_conflict}, ...
 * @param remedy what the operator can do; null when there is nothing to do
 */
public record Precheck(Level level, String subject, String check, String message, String remedy) {
    public Precheck {
        Objects.requireNonNull(level);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(check);
        Objects.requireNonNull(message);
    }

    /** How much a result matters, least first. */
    public enum Level {
        /** A fact that supports going ahead, shown so the operator can see what was checked. */
        OK,
        /** Going ahead is possible, and probably not what the operator meant, or risky. */
        WARNING,
        /** Going ahead would fail or lose data: the run is refused. */
        BLOCKER;

        /** The word used in text and JSON: {@code ok}, {@code warning}, {@code blocker}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Precheck ok(String subject, String check, String message) {
        return new Precheck(Level.OK, subject, check, message, null);
    }

    public static Precheck warning(String subject, String check, String message, String remedy) {
        return new Precheck(Level.WARNING, subject, check, message, remedy);
    }

    public static Precheck blocker(String subject, String check, String message, String remedy) {
        return new Precheck(Level.BLOCKER, subject, check, message, remedy);
    }

    public boolean blocks() {
        return level == Level.BLOCKER;
    }
}
