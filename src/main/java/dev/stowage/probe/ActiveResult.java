package dev.stowage.probe;

import java.util.Optional;

/**
 * What the active probe measured on one filesystem.
 *
 * @param mode {@code direct+dsync}, or {@code dsync} where the filesystem refuses O_DIRECT
 * @param pending the operation still outstanding when the watchdog gave up on the child
 *     ({@code start}, {@code open}, {@code write} or {@code read}), with how long it had waited
 * @param error why the child failed, e.g. no permission to create the temp file
 */
public record ActiveResult(String mode, LatencyStats writes, LatencyStats reads, Optional<Pending> pending,
        Optional<String> error, double seconds) {

    /** An operation the child started and did not finish within its budget. */
    public record Pending(String operation, long waitedMicros) {
    }
}
