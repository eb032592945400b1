package dev.stowage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.model.ImageInfo;
import dev.stowage.model.StowageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link DaemonClient} over docker-java's unix-socket transport and the Engine API's own JSON. */
public final class EngineClient implements DaemonClient {
    /** Quick calls: an answer that takes longer means the daemon is in trouble. */
    private static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(2);
    /** Save and load: the engine stages a whole save before it sends the first byte. */
    private static final Duration BULK_TIMEOUT = Duration.ofHours(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final DockerHost host;
    private final DockerHttpClient control;
    private final DockerHttpClient bulk;
    private final ObjectMapper json = new ObjectMapper();
    private String apiPrefix = "";
    private DaemonFacts facts;

    private EngineClient(DockerHost host) {
        this.host = host;
        this.control = http(host, CONTROL_TIMEOUT);
        this.bulk = http(host, BULK_TIMEOUT);
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

    private static DockerHttpClient http(DockerHost host, Duration responseTimeout) {
        return new ZerodepDockerHttpClient.Builder()
                .dockerHost(host.uri())
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(responseTimeout)
                .maxConnections(4)
                .build();
    }

    private void negotiate() {
        JsonNode version;
        try {
            version = getJson("/version", "GET /version");
        } catch (StowageException e) {
            throw e.getCause() == null ? e : DaemonErrors.unreachable(host, e.getCause().getMessage(), e.getCause());
        }
        String api = version.path("ApiVersion").asText("");
        if (api.isEmpty()) {
            throw DaemonErrors.unreachable(host, "it answered /version without an ApiVersion; is it a Docker daemon?");
        }
        apiPrefix = "/v" + api;
        JsonNode info = getJson(apiPrefix + "/info", "GET /info");
        facts = new DaemonFacts(
                version.path("Version").asText(null),
                api,
                version.path("MinAPIVersion").asText(null),
                info.path("Driver").asText(null),
                info.path("DockerRootDir").asText(null),
                info.path("Name").asText(null),
                info.path("OperatingSystem").asText(null),
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

    @Override
    public List<ImageInfo> images() {
        List<ImageInfo> images = new ArrayList<>();
        for (JsonNode summary : getJson(apiPrefix + "/images/json", "GET /images/json")) {
            String id = summary.path("Id").asText();
            image(id).ifPresent(images::add); // an image removed meanwhile is simply not there to move
        }
        return images;
    }

    @Override
    public Map<Digest, List<String>> imageTags() {
        Map<Digest, List<String>> tags = new LinkedHashMap<>();
        for (JsonNode summary : getJson(apiPrefix + "/images/json?all=1", "GET /images/json")) {
            tags.put(Digest.parse(summary.path("Id").asText()),
                    strings(summary.path("RepoTags")).stream().filter(t -> !t.equals("<none>:<none>")).toList());
        }
        return tags;
    }

    @Override
    public Optional<ImageInfo> image(String reference) {
        String path = apiPrefix + "/images/" + reference + "/json";
        try (Response response = execute(control, Request.Method.GET, path, null, "GET /images/" + reference)) {
            if (response.getStatusCode() == 404) {
                return Optional.empty();
            }
            JsonNode node = readJson(response, "GET /images/" + reference);
            List<Digest> diffIds = new ArrayList<>();
            node.path("RootFS").path("Layers").forEach(layer -> diffIds.add(Digest.parse(layer.asText())));
            return Optional.of(new ImageInfo(
                    Digest.parse(node.path("Id").asText()),
                    strings(node.path("RepoTags")).stream().filter(t -> !t.equals("<none>:<none>")).toList(),
                    strings(node.path("RepoDigests")).stream().filter(t -> !t.startsWith("<none>@")).toList(),
                    node.path("Created").asText(null),
                    diffIds,
                    node.path("Size").asLong(0)));
        }
    }

    @Override
    public List<Long> layerSizes(Digest image) {
        JsonNode history = getJson(apiPrefix + "/images/" + image + "/history", "GET /images/history");
        List<Long> sizes = new ArrayList<>();
        for (JsonNode entry : history) {
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
        String query = references.stream()
                .map(r -> "names=" + URLEncoder.encode(r, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        Response response = execute(bulk, Request.Method.GET, apiPrefix + "/images/get?" + query, null,
                "GET /images/get (docker save)");
        if (response.getStatusCode() != 200) {
            try (response) {
                throw DaemonErrors.api("docker save", response.getStatusCode(), errorMessage(response));
            }
        }
        return new FilterInputStream(response.getBody()) {
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
    public List<String> load(InputStream tar, LoadListener listener) {
        List<String> loaded = new ArrayList<>();
        try (Response response = execute(bulk, Request.Method.POST, apiPrefix + "/images/load?quiet=0", tar,
                "POST /images/load (docker load)")) {
            if (response.getStatusCode() != 200) {
                throw DaemonErrors.api("docker load", response.getStatusCode(), errorMessage(response));
            }
            try (MappingIterator<JsonNode> messages = json.readerFor(JsonNode.class).readValues(response.getBody())) {
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
                        listener.status(status + " " + message.path("progress").asText("")
                                .replaceAll("\\s+", " ").trim());
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
        String query = "repo=" + URLEncoder.encode(repoTag.substring(0, colon), StandardCharsets.UTF_8)
                + "&tag=" + URLEncoder.encode(repoTag.substring(colon + 1), StandardCharsets.UTF_8);
        try (Response response = execute(control, Request.Method.POST,
                apiPrefix + "/images/" + id + "/tag?" + query, null, "POST /images/tag")) {
            if (response.getStatusCode() != 201 && response.getStatusCode() != 200) {
                throw DaemonErrors.api("tag " + repoTag, response.getStatusCode(), errorMessage(response));
            }
        }
    }

    private JsonNode getJson(String path, String call) {
        try (Response response = execute(control, Request.Method.GET, path, null, call)) {
            if (response.getStatusCode() != 200) {
                throw DaemonErrors.api(call, response.getStatusCode(), errorMessage(response));
            }
            return readJson(response, call);
        }
    }

    private JsonNode readJson(Response response, String call) {
        try (InputStream body = response.getBody()) {
            return json.readTree(body);
        } catch (IOException e) {
            throw DaemonErrors.failed(call, e);
        }
    }

    private String errorMessage(Response response) {
        try (InputStream body = response.getBody()) {
            String text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8).trim();
            try {
                JsonNode node = json.readTree(text);
                return node.path("message").asText(text);
            } catch (IOException notJson) {
                return text;
            }
        } catch (IOException e) {
            return "(no readable error body: " + e.getMessage() + ")";
        }
    }

    private Response execute(DockerHttpClient client, Request.Method method, String path, InputStream body,
            String call) {
        Request.Builder request = Request.builder().method(method).path(path);
        if (body != null) {
            request.body(body).putHeader("Content-Type", "application/x-tar");
        }
        try {
            return client.execute(request.build());
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw DaemonErrors.failed(call, cause);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    @Override
    public void close() {
        for (DockerHttpClient client : List.of(control, bulk)) {
            try {
                client.close();
            } catch (IOException ignored) {
                // nothing useful to do about a socket that will not close at exit
            }
        }
    }
}
