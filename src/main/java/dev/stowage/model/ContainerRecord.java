package dev.stowage.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * A container, as the manifest keeps it: enough to recreate it through the API under the same
 * name, with its writable layer and its state.
 *
 * @param image the image ID, which survives a migration even when the image is untagged
 * @param imageRef the image as the container was created from it ({@code Config.Image})
 * @param state the engine's state when the export looked: running, paused, exited, created...
 * @param stoppedByExport true when the export stopped it for a consistent copy; import starts it again
 * @param config the engine's {@code Config} document, verbatim
 * @param hostConfig the engine's {@code HostConfig} document, with anonymous volumes made explicit
 * @param endpoints per network name, the endpoint settings to attach it with (aliases, static IPs)
 * @param layer the writable layer as a layer tar (whiteouts for deletions), null when unchanged
 */
public record ContainerRecord(
        String id,
        String name,
        Digest image,
        String imageRef,
        String state,
        int exitCode,
        boolean stoppedByExport,
        JsonNode config,
        JsonNode hostConfig,
        Map<String, JsonNode> endpoints,
        BlobRef layer,
        String layerCompression) {

    public ContainerRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        endpoints = Map.copyOf(endpoints == null ? Map.of() : endpoints);
    }

    /** Whether import should leave it running: it was running, or the export stopped it. */
    public boolean shouldRun() {
        return "running".equals(state) || "paused".equals(state) || stoppedByExport;
    }
}
