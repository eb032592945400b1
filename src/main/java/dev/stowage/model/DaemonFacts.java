package dev.stowage.model;

/** What an export records about the engine it read from, and what import checks on the target. */
public record DaemonFacts(
        String engineVersion,
        String apiVersion,
        String minApiVersion,
        String storageDriver,
        String dataRoot,
        String hostname,
        String operatingSystem,
        String architecture) {
}
