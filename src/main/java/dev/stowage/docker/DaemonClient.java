package dev.stowage.docker;

import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What Stowage asks of a Docker daemon. Every failure is a {@link dev.stowage.model.StowageException}. */
public interface DaemonClient extends AutoCloseable {

    /** The host this client talks to, as the operator wrote it. */
    String host();

    DaemonFacts facts();

    /** Top-level images, as {@code docker images} lists them: tagged and dangling, not intermediate parents. */
    List<ImageInfo> images();

    /**
     * Every image the daemon holds, intermediate parents included, with its tags: one call, for
     * planning and verifying an import without an inspect per image and tag.
     */
    Map<Digest, List<String>> imageTags();

    /** Looks an image up by ID, {@code repo:tag} or digest reference. */
    Optional<ImageInfo> image(String reference);

    /** Sizes of the image's layers, lowest first, from its history; empty when the history does not fit. */
    List<Long> layerSizes(Digest image);

    /**
     * Streams one {@code docker save} of all {@code references}. The caller must close the stream.
     * The engine stages the whole save before its first byte, so this can wait a while.
     */
    InputStream save(List<String> references);

    /**
     * Streams a tar into {@code docker load}.
     *
     * @return the image references the engine reported as loaded
     */
    List<String> load(InputStream tar, LoadListener listener);

    /** Points {@code repoTag} at image {@code id}. */
    void tag(Digest id, String repoTag);

    @Override
    void close();

    /** Told what the engine reports while it applies a load, after the bytes arrived. */
    interface LoadListener {
        LoadListener NONE = message -> {
        };

        void status(String message);
    }
}
