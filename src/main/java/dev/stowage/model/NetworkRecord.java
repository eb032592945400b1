package dev.stowage.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A user-defined network, as the manifest keeps it.
 *
 * @param create the body of {@code POST /networks/create} that recreates it: name, driver, IPAM
 *     (subnets, gateways, ranges, auxiliary addresses), options, labels, internal, attachable,
 *     IPv6 — copied field by field from the engine's own inspect document
 */
public record NetworkRecord(String name, String id, String driver, JsonNode create) {
    public NetworkRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(create, "create");
    }
}
