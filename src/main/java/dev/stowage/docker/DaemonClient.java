package dev.stowage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.model.ContainerChange;
import dev.stowage.model.ContainerInfo;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import dev.stowage.model.WritableLayer;
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
     * Sends a tar into {@code docker load}.
     *
     * @return the image references the engine reported as loaded
     */
    List<String> load(RequestBody tar, LoadListener listener);

    /** Points {@code repoTag} at image {@code id}. */
    void tag(Digest id, String repoTag);

    /** Every container, whatever its state, inspected. */
    List<ContainerInfo> containers();

    Optional<ContainerInfo> container(String idOrName);

    /** The container's changes against its image. */
    List<ContainerChange> changes(String id);

    /** The engine's count of bytes in all containers' writable layers (SizeRw): slow on big hosts. */
    long writableLayerBytes();

    /** Where the container's writable layer lives on this host. */
    WritableLayer writableLayer(ContainerInfo container);

    /** Stops gracefully: the container's stop signal, then SIGKILL after {@code timeoutSeconds}. */
    void stop(String id, int timeoutSeconds);

    void start(String id);

    void pause(String id);

    /** Creates a container from a {@code POST /containers/create} body; returns its ID. */
    String createContainer(String name, JsonNode body);

    /** Removes a container and its writable layer (force). */
    void removeContainer(String id);

    /** Attaches a container to a network with the given endpoint settings (aliases, static IPs). */
    void connect(String network, String container, JsonNode endpoint);

    /** Every network, inspected. */
    List<JsonNode> networks();

    /** Creates a network from a {@code POST /networks/create} body; returns its ID. */
    String createNetwork(JsonNode body);

    /** Every volume, as {@code GET /volumes} lists it (name, driver, mountpoint, labels, options). */
    List<JsonNode> volumes();

    Optional<JsonNode> volume(String name);

    /** Creates a volume; returns its description (with the mountpoint). */
    JsonNode createVolume(JsonNode body);

    @Override
    void close();

    /** Told what the engine reports while it applies a load, after the bytes arrived. */
    interface LoadListener {
        LoadListener NONE = message -> {
        };

        void status(String message);
    }
}
