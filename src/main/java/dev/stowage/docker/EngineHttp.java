package dev.stowage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The Engine API over docker-java's transport: requests, JSON bodies, and the mapping of HTTP and
 * transport failures to Stowage errors. Two connection pools: one with a short response timeout
 * for quick calls, one patient enough for stopping containers. The save and load streams go
 * through {@link BulkStream}.
 */
final class EngineHttp implements AutoCloseable {
    private static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration BULK_TIMEOUT = Duration.ofHours(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    final ObjectMapper json = new ObjectMapper();
    private final DockerHttpClient control;
    private final DockerHttpClient bulk;
    private String prefix = "";

    EngineHttp(DockerHost host) {
        this.control = client(host, CONTROL_TIMEOUT);
        this.bulk = client(host, BULK_TIMEOUT);
    }

    private static DockerHttpClient client(DockerHost host, Duration responseTimeout) {
        return new ZerodepDockerHttpClient.Builder()
                .dockerHost(host.uri())
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(responseTimeout)
                .maxConnections(4)
                .sslConfig(() -> NoTls.CONTEXT)
                .build();
    }

    /** Pins every later path to {@code /v<api>}. */
    void pin(String apiVersion) {
        prefix = "/v" + apiVersion;
    }

    /** {@code path} with the pinned API version in front. */
    String versioned(String path) {
        return prefix + path;
    }

    /** GET a versioned path and parse its JSON; any status but 200 is an error. */
    JsonNode get(String path, String call) {
        return send(control, Request.Method.GET, prefix + path, null, call, 200);
    }

    /** GET a path outside the version prefix (only {@code /version}). */
    JsonNode getUnversioned(String path, String call) {
        return send(control, Request.Method.GET, path, null, call, 200);
    }

    /** POST a JSON body (or none) and parse the JSON answer, if any. */
    JsonNode post(String path, JsonNode body, String call, int... okStatuses) {
        return send(control, Request.Method.POST, prefix + path, body, call, okStatuses);
    }

    /** A POST that may legitimately take long (stopping a container waits its whole stop timeout). */
    JsonNode postPatiently(String path, String call, int... okStatuses) {
        return send(bulk, Request.Method.POST, prefix + path, null, call, okStatuses);
    }

    /** DELETE a versioned path; a 404 counts as done (it is gone either way). */
    void delete(String path, String call) {
        send(control, Request.Method.DELETE, prefix + path, null, call, 200, 204, 404);
    }

    /** The response of a GET, or null on 404. */
    JsonNode getOrNull(String path, String call) {
        try (Response response = execute(control, Request.Method.GET, prefix + path, null, call)) {
            if (response.getStatusCode() == 404) {
                return null;
            }
            if (response.getStatusCode() != 200) {
                throw DaemonErrors.api(call, response.getStatusCode(), errorMessage(response));
            }
            return read(response, call);
        }
    }

    private JsonNode send(DockerHttpClient client, Request.Method method, String path, JsonNode body, String call,
            int... ok) {
        byte[] bytes = null;
        if (body != null) {
            try {
                bytes = json.writeValueAsBytes(body);
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode request body", e);
            }
        }
        try (Response response = execute(client, method, path, bytes, call)) {
            int status = response.getStatusCode();
            if (List.of(box(ok)).contains(status)) {
                return read(response, call);
            }
            throw DaemonErrors.api(call, status, errorMessage(response));
        }
    }

    private Response execute(DockerHttpClient client, Request.Method method, String path, byte[] bytes,
            String call) {
        Request.Builder request = Request.builder().method(method).path(path);
        if (bytes != null) {
            request.bodyBytes(bytes).putHeader("Content-Type", "application/json");
        }
        try {
            return client.execute(request.build());
        } catch (RuntimeException e) {
            throw DaemonErrors.failed(call, e.getCause() != null ? e.getCause() : e);
        }
    }

    JsonNode read(Response response, String call) {
        try (InputStream body = response.getBody()) {
            byte[] bytes = body.readAllBytes();
            return bytes.length == 0 ? json.nullNode() : json.readTree(bytes);
        } catch (IOException e) {
            throw DaemonErrors.failed(call, e);
        }
    }

    String errorMessage(Response response) {
        return errorMessage(response.getBody());
    }

    /** The {@code message} of an error answer's JSON body, or its text. */
    String errorMessage(InputStream answer) {
        try (InputStream body = answer) {
            String text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8).trim();
            try {
                return json.readTree(text).path("message").asText(text);
            } catch (IOException notJson) {
                return text;
            }
        } catch (IOException e) {
            return "(no readable error body: " + e.getMessage() + ")";
        }
    }

    private static Integer[] box(int[] values) {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
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
