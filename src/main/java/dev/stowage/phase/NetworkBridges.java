package dev.stowage.phase;

import dev.stowage.docker.StaleBridges;
import dev.stowage.model.Manifest;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.util.List;

/** Removes, while the daemon is down, the bridges its exported networks left behind (see {@link StaleBridges}). */
final class NetworkBridges {
    private NetworkBridges() {
    }

    static void removeStale(Manifest manifest, Reporter reporter) {
        List<String> ids = manifest.networks().stream()
                .filter(n -> "bridge".equals(n.driver()))
                .filter(n -> !n.create().path("Options").has("com.docker.network.bridge.name"))
                .map(n -> n.id()).toList();
        List<String> removed = StaleBridges.remove(ids);
        if (!removed.isEmpty()) {
            reporter.emit(Event.Notice.info("removed the bridges the stopped daemon left behind, whose subnets the"
                    + " recreated networks will use: " + String.join(", ", removed)));
        }
    }
}
