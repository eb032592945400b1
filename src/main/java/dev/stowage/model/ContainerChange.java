package dev.stowage.model;

/** One entry of a container's diff against its image, as {@code GET /containers/{id}/changes} reports it. */
public record ContainerChange(String path, Kind kind) {
    /** The engine's change kinds, in its numbering (0, 1, 2). */
    public enum Kind { MODIFIED, ADDED, DELETED }

    public static ContainerChange of(String path, int kind) {
        return new ContainerChange(path, Kind.values()[kind]);
    }
}
