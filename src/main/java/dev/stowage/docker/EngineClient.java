package dev.stowage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.model.ContainerChange;
import dev.stowage.model.ContainerInfo;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.model.ImageInfo;
import dev.stowage.model.StowageException;
import dev.stowage.model.WritableLayer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link DaemonClient} over docker-java's unix-socket transport and the Engine API's own JSON. */
public final class EngineClient implements DaemonClient {
    private final DockerHost host;
    private final EngineHttp http;
    private DaemonFacts facts;

    private EngineClient(DockerHost host) {
        this.host = host;
        this.http = new EngineHttp(host);
    }

    /** Connects and negotiates the API version; fails with exit code 5 if the daemon does not answer. */
    public static EngineClient connect(DockerHost host) {
        host.checkReachable();
        EngineClient client = new EngineClient(host);
        try {
            client.negotiate();
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void negotiate() {
        JsonNode version;
        try {
            version = http.getUnversioned("/version", "GET /version");
        } catch (StowageException e) {
            throw e.getCause() == null ? e : DaemonErrors.unreachable(host, e.getCause().getMessage(), e.getCause());
        }
        String api = version.path("ApiVersion").asText("");
        if (api.isEmpty()) {
            throw DaemonErrors.unreachable(host, "it answered /version without an ApiVersion; is it a Docker daemon?");
        }
        http.pin(api);
        JsonNode info = http.get("/info", "GET /info");
        facts = new DaemonFacts(version.path("Version").asText(null), api, version.path("MinAPIVersion").asText(null),
                info.path("Driver").asText(null), info.path("DockerRootDir").asText(null),
                info.path("Name").asText(null), info.path("OperatingSystem").asText(null),
                info.path("Architecture").asText(null));
    }

    @Override
    public String host() {
        return host.toString();
    }

    @Override
    public DaemonFacts facts() {
        return facts;
    }

    // ---- images

    @Override
    public List<ImageInfo> images() {
        List<ImageInfo> images = new ArrayList<>();
        for (JsonNode summary : http.get("/images/json", "GET /images/json")) {
            image(summary.path("Id").asText()).ifPresent(images::add); // removed meanwhile: nothing to move
        }
        return images;
    }

    @Override
    public Map<Digest, List<String>> imageTags() {
        Map<Digest, List<String>> tags = new LinkedHashMap<>();
        for (JsonNode summary : http.get("/images/json?all=1", "GET /images/json")) {
            tags.put(Digest.parse(summary.path("Id").asText()), realTags(summary.path("RepoTags")));
        }
        return tags;
    }

    @Override
    public Optional<ImageInfo> image(String reference) {
        JsonNode node = http.getOrNull("/images/" + reference + "/json", "GET /images/" + reference);
        if (node == null) {
            return Optional.empty();
        }
        List<Digest> diffIds = new ArrayList<>();
        node.path("RootFS").path("Layers").forEach(layer -> diffIds.add(Digest.parse(layer.asText())));
        return Optional.of(new ImageInfo(Digest.parse(node.path("Id").asText()), realTags(node.path("RepoTags")),
                strings(node.path("RepoDigests")).stream().filter(t -> !t.startsWith("<none>@")).toList(),
                node.path("Created").asText(null), diffIds, node.path("Size").asLong(0)));
    }

    @Override
    public List<Long> layerSizes(Digest image) {
        List<Long> sizes = new ArrayList<>();
        for (JsonNode entry : http.get("/images/" + image + "/history", "GET /images/history")) {
            long size = entry.path("Size").asLong(0);
            if (size > 0) {
                sizes.add(size);
            }
        }
        Collections.reverse(sizes); // the API lists newest first
        return sizes;
    }

    @Override
    public InputStream save(List<String> references) {
        String query = references.stream().map(r -> "names=" + encode(r)).collect(Collectors.joining("&"));
        BulkStream response = BulkStream.get(host, http.versioned("/images/get?" + query), "GET /images/get (docker save)");
        if (response.status() != 200) {
            try (response) {
                throw DaemonErrors.api("docker save", response.status(), http.errorMessage(response.body()));
            }
        }
        return new FilterInputStream(response.body()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    response.close();
                }
            }
        };
    }

    @Override
    public List<String> load(RequestBody tar, LoadListener listener) {
        List<String> loaded = new ArrayList<>();
        try (BulkStream response = BulkStream.post(host, http.versioned("/images/load?quiet=0"), "application/x-tar",
                tar, "POST /images/load (docker load)")) {
            if (response.status() != 200) {
                throw DaemonErrors.api("docker load", response.status(), http.errorMessage(response.body()));
            }
            try (MappingIterator<JsonNode> messages = http.json.readerFor(JsonNode.class).readValues(response.body())) {
                while (messages.hasNextValue()) {
                    JsonNode message = messages.nextValue();
                    if (message.hasNonNull("error")) {
                        throw DaemonErrors.api("docker load", 200, message.path("error").asText());
                    }
                    String stream = message.path("stream").asText("").trim();
                    if (stream.startsWith("Loaded image: ")) {
                        loaded.add(stream.substring("Loaded image: ".length()));
                    } else if (stream.startsWith("Loaded image ID: ")) {
                        loaded.add(stream.substring("Loaded image ID: ".length()));
                    }
                    String status = message.path("status").asText("");
                    if (!status.isEmpty()) {
                        listener.status((status + " " + message.path("progress").asText("")).replaceAll("\\s+", " ").trim());
                    }
                }
            } catch (IOException e) {
                throw DaemonErrors.failed("docker load", e);
            }
        }
        return loaded;
    }

    @Override
    public void tag(Digest id, String repoTag) {
        int slash = repoTag.lastIndexOf('/');
        int colon = repoTag.lastIndexOf(':');
        if (colon <= slash) {
            throw new StowageException(ExitCode.USAGE, "tag '" + repoTag + "' has no :TAG part", null);
        }
        http.post("/images/" + id + "/tag?repo=" + encode(repoTag.substring(0, colon)) + "&tag="
                + encode(repoTag.substring(colon + 1)), null, "tag " + repoTag, 200, 201);
    }

    // ---- containers

    @Override
    public List<ContainerInfo> containers() {
        List<ContainerInfo> containers = new ArrayList<>();
        for (JsonNode summary : http.get("/containers/json?all=1", "GET /containers/json")) {
            container(summary.path("Id").asText()).ifPresent(containers::add);
        }
        return containers;
    }

    @Override
    public Optional<ContainerInfo> container(String idOrName) {
        return Optional.ofNullable(http.getOrNull("/containers/" + encode(idOrName) + "/json",
                "GET /containers/" + idOrName)).map(ContainerInfo::new);
    }

    @Override
    public List<ContainerChange> changes(String id) {
        List<ContainerChange> changes = new ArrayList<>();
        JsonNode list = http.get("/containers/" + id + "/changes", "GET /containers/changes");
        list.forEach(c -> changes.add(ContainerChange.of(c.path("Path").asText(), c.path("Kind").asInt())));
        return changes;
    }

    @Override
    public long writableLayerBytes() {
        long total = 0;
        for (JsonNode summary : http.get("/containers/json?all=1&size=1", "GET /containers/json?size=1")) {
            total += Math.max(0, summary.path("SizeRw").asLong(0));
        }
        return total;
    }

    @Override
    public WritableLayer writableLayer(ContainerInfo container) {
        String driver = container.storageDriver();
        if (driver.equals("overlay2") && container.upperDir() != null) {
            return new WritableLayer(Path.of(container.upperDir()), WritableLayer.Kind.OVERLAY);
        }
        Path root = Path.of(facts.dataRoot());
        Path mountId = root.resolve("image").resolve(driver).resolve("layerdb/mounts").resolve(container.id())
                .resolve("mount-id");
        String id;
        try {
            id = Files.readString(mountId).trim();
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot find the writable layer of container "
                    + container.name() + " (" + mountId + "): " + e.getMessage(),
                    "run stowage on the Docker host itself, as root", e);
        }
        Path files = LayerDb.files(root, driver, id);
        if (files == null) {
            throw new StowageException(ExitCode.PRECHECK, "container writable layers on the " + driver
                    + " storage driver are not supported", "supported drivers: overlay2, vfs, btrfs");
        }
        WritableLayer.Kind kind = driver.equals("overlay2") ? WritableLayer.Kind.OVERLAY : WritableLayer.Kind.ROOTFS;
        return new WritableLayer(files, kind);
    }

    @Override
    public void stop(String id, int timeoutSeconds) {
        http.postPatiently("/containers/" + id + "/stop?t=" + timeoutSeconds, "stop container " + id, 204, 304);
    }

    @Override
    public void start(String id) {
        http.post("/containers/" + id + "/start", null, "start container " + id, 204, 304);
    }

    @Override
    public void pause(String id) {
        http.post("/containers/" + id + "/pause", null, "pause container " + id, 204);
    }

    @Override
    public String createContainer(String name, JsonNode body) {
        return http.post("/containers/create?name=" + encode(name), body, "create container " + name, 201)
                .path("Id").asText();
    }

    @Override
    public void removeContainer(String id) {
        http.delete("/containers/" + id + "?force=1", "remove container " + id);
    }

    @Override
    public void connect(String network, String container, JsonNode endpoint) {
        ObjectNode body = http.json.createObjectNode().put("Container", container);
        if (endpoint != null && !endpoint.isNull()) {
            body.set("EndpointConfig", endpoint);
        }
        http.post("/networks/" + encode(network) + "/connect", body, "connect " + container + " to " + network, 200);
    }

    // ---- networks and volumes

    @Override
    public List<JsonNode> networks() {
        List<JsonNode> networks = new ArrayList<>();
        for (JsonNode summary : http.get("/networks", "GET /networks")) {
            networks.add(http.get("/networks/" + summary.path("Id").asText(), "GET /networks/{id}"));
        }
        return networks;
    }

    @Override
    public String createNetwork(JsonNode body) {
        return http.post("/networks/create", body, "create network " + body.path("Name").asText(), 201)
                .path("Id").asText();
    }

    @Override
    public List<JsonNode> volumes() {
        List<JsonNode> volumes = new ArrayList<>();
        http.get("/volumes", "GET /volumes").path("Volumes").forEach(volumes::add);
        return volumes;
    }

    @Override
    public Optional<JsonNode> volume(String name) {
        return Optional.ofNullable(http.getOrNull("/volumes/" + encode(name), "GET /volumes/" + name));
    }

    @Override
    public JsonNode createVolume(JsonNode body) {
        return http.post("/volumes/create", body, "create volume " + body.path("Name").asText(), 201);
    }

    private static List<String> realTags(JsonNode tags) {
        return strings(tags).stream().filter(t -> !t.equals("<none>:<none>")).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
