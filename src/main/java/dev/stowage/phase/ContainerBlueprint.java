package dev.stowage.phase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.stowage.model.BlobRef;
import dev.stowage.model.ContainerInfo;
import dev.stowage.model.ContainerRecord;
import dev.stowage.model.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a container's inspect document into a manifest record, and a record back into the
 * {@code POST /containers/create} body that recreates it. Pure: no daemon, no IO.
 *
 * <p>Two things need care. Anonymous volumes would be created afresh (empty, with a new name) if
 * the config were replayed as it is, so they are bound explicitly by their recorded name. And a
 * reference to another container by ID ({@code container:<id>} network, IPC or PID mode,
 * {@code VolumesFrom}) is rewritten to that container's name, which survives the migration.
 */
public final class ContainerBlueprint {
    private static final Pattern ANONYMOUS = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f]{12,64}");
    private static final List<String> ENDPOINT_FIELDS = List.of("IPAMConfig", "Links", "DriverOpts");
    private static final List<String> CONTAINER_MODES = List.of("NetworkMode", "IpcMode", "PidMode");

    private ContainerBlueprint() {
    }

    public static boolean isAnonymousVolume(String name) {
        return name != null && ANONYMOUS.matcher(name).matches();
    }

    /** The manifest record of {@code container}; {@code state} is what it was before the export touched it. */
    public static ContainerRecord record(ContainerInfo container, String state, int exitCode, boolean stoppedByExport,
            BlobRef layer, String compression) {
        return new ContainerRecord(container.id(), container.name(), container.image(),
                container.config().path("Image").asText(container.image().toString()), state, exitCode,
                stoppedByExport, container.config().deepCopy(), explicitVolumes(container), endpoints(container),
                layer, layer == null ? null : compression);
    }

    /** HostConfig with every anonymous volume bound by name, so that recreating reuses it. */
    static ObjectNode explicitVolumes(ContainerInfo container) {
        ObjectNode host = container.hostConfig().isObject() ? ((ObjectNode) container.hostConfig()).deepCopy()
                : Json.mapper().createObjectNode();
        Set<String> covered = new HashSet<>();
        host.path("Binds").forEach(bind -> covered.add(bindTarget(bind.asText())));
        for (JsonNode mount : host.path("Mounts")) {
            if (mount.hasNonNull("Source") && !mount.path("Source").asText().isEmpty()) {
                covered.add(mount.path("Target").asText());
            }
        }
        for (JsonNode mount : container.mounts()) {
            String name = mount.path("Name").asText(null);
            String target = mount.path("Destination").asText();
            if (!"volume".equals(mount.path("Type").asText()) || !isAnonymousVolume(name) || covered.contains(target)) {
                continue;
            }
            Optional<ObjectNode> declared = mountFor(host, target);
            if (declared.isPresent()) {
                declared.get().put("Source", name);
            } else {
                ArrayNode binds = host.hasNonNull("Binds") && host.get("Binds").isArray() ? (ArrayNode) host.get("Binds")
                        : host.putArray("Binds");
                binds.add(name + ":" + target + (mount.path("RW").asBoolean(true) ? "" : ":ro"));
            }
        }
        return host;
    }

    private static Optional<ObjectNode> mountFor(ObjectNode host, String target) {
        for (JsonNode mount : host.path("Mounts")) {
            if (mount.isObject() && target.equals(mount.path("Target").asText()) && "volume".equals(mount.path("Type").asText())) {
                return Optional.of((ObjectNode) mount);
            }
        }
        return Optional.empty();
    }

    /** {@code src:dst[:opts]} → {@code dst}. */
    static String bindTarget(String bind) {
        String[] parts = bind.split(":");
        return parts.length >= 2 ? parts[1] : parts[0];
    }

    /** Per network, what to attach with: user aliases (not the engine's own short-ID alias), static IPs, links. */
    static Map<String, JsonNode> endpoints(ContainerInfo container) {
        Map<String, JsonNode> endpoints = new LinkedHashMap<>();
        String shortId = container.id().substring(0, Math.min(12, container.id().length()));
        container.networks().properties().forEach(network -> {
            ObjectNode endpoint = Json.mapper().createObjectNode();
            for (String field : ENDPOINT_FIELDS) {
                JsonNode value = network.getValue().path(field);
                if (!value.isMissingNode() && !value.isNull()) {
                    endpoint.set(field, value);
                }
            }
            ArrayNode aliases = Json.mapper().createArrayNode();
            network.getValue().path("Aliases").forEach(alias -> {
                if (!alias.asText().equals(shortId) && !alias.asText().equals(container.id())) {
                    aliases.add(alias);
                }
            });
            if (!aliases.isEmpty()) {
                endpoint.set("Aliases", aliases);
            }
            endpoints.put(network.getKey(), endpoint);
        });
        return endpoints;
    }

    /**
     * The network a container is created on; the others are connected afterwards. The engine
     * accepts a single network at create time on API 1.41.
     */
    public static Optional<String> primaryNetwork(ContainerRecord container) {
        String mode = container.hostConfig().path("NetworkMode").asText("default");
        if (mode.equals("host") || mode.equals("none") || mode.startsWith("container:")) {
            return Optional.empty();
        }
        String primary = mode.equals("default") ? "bridge" : mode;
        return container.endpoints().containsKey(primary) ? Optional.of(primary) : Optional.empty();
    }

    /** Networks to connect after create, in recorded order. */
    public static List<String> extraNetworks(ContainerRecord container) {
        Optional<String> primary = primaryNetwork(container);
        String mode = container.hostConfig().path("NetworkMode").asText("default");
        if (mode.equals("host") || mode.equals("none") || mode.startsWith("container:")) {
            return List.of();
        }
        List<String> extra = new ArrayList<>(container.endpoints().keySet());
        primary.ifPresent(extra::remove);
        return extra;
    }

    /**
     * The create body: the recorded Config with {@code imageRef}, the recorded HostConfig with
     * container references by name, and the primary network's endpoint.
     *
     * @param namesById old container ID → name, for every container in the export
     */
    public static ObjectNode createBody(ContainerRecord container, String imageRef, Map<String, String> namesById) {
        ObjectNode body = container.config().isObject() ? ((ObjectNode) container.config()).deepCopy()
                : Json.mapper().createObjectNode();
        body.put("Image", imageRef);
        ObjectNode host = ((ObjectNode) container.hostConfig()).deepCopy();
        for (String field : CONTAINER_MODES) {
            String value = host.path(field).asText("");
            if (value.startsWith("container:")) {
                host.put(field, "container:" + nameFor(value.substring("container:".length()), namesById));
            }
        }
        if (host.path("VolumesFrom").isArray()) {
            ArrayNode from = Json.mapper().createArrayNode();
            host.get("VolumesFrom").forEach(entry -> {
                String[] parts = entry.asText().split(":", 2);
                from.add(new TextNode(nameFor(parts[0], namesById) + (parts.length > 1 ? ":" + parts[1] : "")));
            });
            host.set("VolumesFrom", from);
        }
        body.set("HostConfig", host);
        primaryNetwork(container).ifPresent(network -> body.putObject("NetworkingConfig").putObject("EndpointsConfig")
                .set(network, container.endpoints().get(network)));
        return body;
    }

    /** Containers that others reference by {@code container:} modes or VolumesFrom come first. */
    public static List<ContainerRecord> creationOrder(List<ContainerRecord> containers) {
        List<ContainerRecord> first = new ArrayList<>();
        List<ContainerRecord> later = new ArrayList<>();
        for (ContainerRecord container : containers) {
            boolean dependent = CONTAINER_MODES.stream()
                    .anyMatch(f -> container.hostConfig().path(f).asText("").startsWith("container:"))
                    || (container.hostConfig().path("VolumesFrom").isArray() && !container.hostConfig().path("VolumesFrom").isEmpty());
            (dependent ? later : first).add(container);
        }
        first.addAll(later);
        return first;
    }

    private static String nameFor(String reference, Map<String, String> namesById) {
        if (!ID_PREFIX.matcher(reference).matches()) {
            return reference; // already a name
        }
        for (Map.Entry<String, String> entry : namesById.entrySet()) {
            if (entry.getKey().startsWith(reference)) {
                return entry.getValue();
            }
        }
        return reference;
    }
}
