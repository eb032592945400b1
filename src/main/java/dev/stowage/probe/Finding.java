package dev.stowage.probe;

import java.util.Objects;

/**
 * One observation about a filesystem or the host, with the verdict it argues for.
 *
 * @param level {@link Verdict#HEALTHY} for a note worth showing that changes nothing
 * @param subject the path or device it is about, or {@code host} for host-wide signals
 * @param signal where it came from: {@code space}, {@code inodes}, {@code mount}, {@code fs_errors},
 *     {@code diskstats}, {@code blocked_threads}, {@code pressure}, {@code active_write}, {@code active_read}
 * @param message what was seen, with the numbers
 * @param remedy what the operator can do about it; null for notes
 */
public record Finding(Verdict level, String subject, String signal, String message, String remedy) {
    public Finding {
        Objects.requireNonNull(level);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(signal);
        Objects.requireNonNull(message);
    }

    public static Finding note(String subject, String signal, String message) {
        return new Finding(Verdict.HEALTHY, subject, signal, message, null);
    }
}
