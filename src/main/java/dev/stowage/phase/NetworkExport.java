package dev.stowage.phase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.docker.DaemonClient;
import dev.stowage.model.Json;
import dev.stowage.model.NetworkRecord;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records every user-defined network: the engine's defaults (bridge, host, none) are the target's
 * own, and swarm-scoped networks belong to the swarm, not to this host's storage.
 */
final class NetworkExport {
    static final Set<String> DEFAULT_NETWORKS = Set.of("bridge", "host", "none");
    private static final List<String> COPIED = List.of("Driver", "Internal", "Attachable", "EnableIPv6",
            "ConfigOnly", "Options", "Labels");

    private final DaemonClient daemon;
    private final Reporter reporter;

    NetworkExport(DaemonClient daemon, Reporter reporter) {
        this.daemon = daemon;
        this.reporter = reporter;
    }

    List<NetworkRecord> run() {
        List<NetworkRecord> records = new ArrayList<>();
        for (JsonNode network : daemon.networks()) {
            String name = network.path("Name").asText();
            if (DEFAULT_NETWORKS.contains(name) || "swarm".equals(network.path("Scope").asText())
                    || network.path("Ingress").asBoolean(false)) {
                continue;
            }
            NetworkRecord record = new NetworkRecord(name, network.path("Id").asText(),
                    network.path("Driver").asText(), createBody(network));
            records.add(record);
            reporter.emit(new Event.UnitDone("export/network/" + name, name, "recorded", 0,
                    Map.of("driver", record.driver(), "subnets", subnets(record.create()))));
        }
        return records;
    }

    /** The {@code POST /networks/create} body that recreates {@code network} as it is. */
    static ObjectNode createBody(JsonNode network) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("Name", network.path("Name").asText());
        body.put("CheckDuplicate", true);
        for (String field : COPIED) {
            if (network.has(field) && !network.get(field).isNull()) {
                body.set(field, network.get(field));
            }
        }
        JsonNode from = network.path("ConfigFrom").path("Network");
        if (from.isTextual() && !from.asText().isEmpty()) {
            body.putObject("ConfigFrom").put("Network", from.asText());
        }
        JsonNode ipam = network.path("IPAM");
        if (!ipam.isMissingNode() && !ipam.isNull()) {
            ObjectNode copy = body.putObject("IPAM");
            copy.put("Driver", ipam.path("Driver").asText("default"));
            if (ipam.hasNonNull("Options")) {
                copy.set("Options", ipam.get("Options"));
            }
            ArrayNode configs = copy.putArray("Config");
            ipam.path("Config").forEach(configs::add);
        }
        return body;
    }

    static String subnets(JsonNode create) {
        List<String> subnets = new ArrayList<>();
        create.path("IPAM").path("Config").forEach(c -> subnets.add(c.path("Subnet").asText()));
        return String.join(",", subnets);
    }
}
