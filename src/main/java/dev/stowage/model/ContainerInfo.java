package dev.stowage.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A container as a live daemon describes it: its inspect document, kept whole so that nothing the
 * engine knows about it is lost on the way to the manifest.
 */
public record ContainerInfo(JsonNode inspect) {
    public ContainerInfo {
        Objects.requireNonNull(inspect, "inspect");
    }

    public String id() {
        return inspect.path("Id").asText();
    }

    /** The name without Docker's leading slash. */
    public String name() {
        String name = inspect.path("Name").asText();
        return name.startsWith("/") ? name.substring(1) : name;
    }

    public Digest image() {
        return Digest.parse(inspect.path("Image").asText());
    }

    public String status() {
        return inspect.path("State").path("Status").asText("unknown");
    }

    public boolean running() {
        return inspect.path("State").path("Running").asBoolean(false);
    }

    public boolean paused() {
        return inspect.path("State").path("Paused").asBoolean(false);
    }

    /** When it last started; {@link java.time.Instant#EPOCH} when it never did. */
    public java.time.Instant startedAt() {
        try {
            return java.time.Instant.parse(inspect.path("State").path("StartedAt").asText("0001-01-01T00:00:00Z"));
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.EPOCH;
        }
    }

    public int exitCode() {
        return inspect.path("State").path("ExitCode").asInt(0);
    }

    public JsonNode config() {
        return inspect.path("Config");
    }

    public JsonNode hostConfig() {
        return inspect.path("HostConfig");
    }

    public JsonNode mounts() {
        return inspect.path("Mounts");
    }

    public JsonNode networks() {
        return inspect.path("NetworkSettings").path("Networks");
    }

    public String storageDriver() {
        return inspect.path("GraphDriver").path("Name").asText("");
    }

    public String upperDir() {
        return inspect.path("GraphDriver").path("Data").path("UpperDir").asText(null);
    }
}
