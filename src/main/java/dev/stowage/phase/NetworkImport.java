package dev.stowage.phase;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.docker.DaemonClient;
import dev.stowage.journal.Journal;
import dev.stowage.model.NetworkRecord;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recreates user-defined networks before any container needs them. A network of the same name that
 * is already there is reused when its driver and subnets match, and reported as a conflict when
 * they do not: containers must not silently land on a different network.
 */
final class NetworkImport {
    private final DaemonClient daemon;
    private final Journal journal;
    private final Reporter reporter;

    NetworkImport(DaemonClient daemon, Journal journal, Reporter reporter) {
        this.daemon = daemon;
        this.journal = journal;
        this.reporter = reporter;
    }

    /** Returns the problems found (conflicts); creates what is missing unless {@code dryRun}. */
    List<String> run(List<NetworkRecord> networks, boolean dryRun) {
        Map<String, JsonNode> existing = new HashMap<>();
        daemon.networks().forEach(n -> existing.put(n.path("Name").asText(), n));
        List<String> problems = new ArrayList<>();
        for (NetworkRecord network : networks) {
            String unit = "import/network/" + network.name();
            JsonNode there = existing.get(network.name());
            if (there != null) {
                if (matches(network, there)) {
                    reporter.emit(unit(unit, network, "present"));
                } else {
                    String problem = "network " + network.name() + " exists on the target with driver "
                            + there.path("Driver").asText() + " and subnets "
                            + NetworkExport.subnets(NetworkExport.createBody(there)) + ", not " + network.driver()
                            + " " + NetworkExport.subnets(network.create());
                    problems.add(problem);
                    reporter.emit(Event.Notice.warning(problem, "remove or rename that network, then run import again"));
                }
                continue;
            }
            if (dryRun) {
                reporter.emit(unit(unit, network, "would-create"));
                continue;
            }
            journal.started(unit, null);
            daemon.createNetwork(network.create());
            journal.done(unit, null);
            reporter.emit(unit(unit, network, "created"));
        }
        return problems;
    }

    static boolean matches(NetworkRecord network, JsonNode there) {
        return network.driver().equals(there.path("Driver").asText())
                && NetworkExport.subnets(network.create()).equals(NetworkExport.subnets(NetworkExport.createBody(there)));
    }

    private static Event.UnitDone unit(String key, NetworkRecord network, String action) {
        return new Event.UnitDone(key, network.name(), action, 0,
                Map.of("driver", network.driver(), "subnets", NetworkExport.subnets(network.create())));
    }
}
