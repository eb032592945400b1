package dev.stowage.phase;

import dev.stowage.docker.DockerHost;
import dev.stowage.docker.LeftoverBridge;
import dev.stowage.model.Manifest;
import dev.stowage.model.NetworkRecord;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.util.Optional;

/**
 * Removes, while the daemon is down, the bridges its exported networks left behind (see
 * {@link LeftoverBridge}): the import recreates the networks with new IDs and the same subnets, and
 * the kernel would route them into the old, portless bridges.
 */
final class NetworkBridges {
    private NetworkBridges() {
    }

    static void removeLeftovers(Manifest manifest, DockerHost host, Reporter reporter) {
        for (NetworkRecord network : manifest.networks()) {
            Optional<String> bridge = LeftoverBridge.of(network.id(), network.driver(), network.create());
            if (bridge.isEmpty() || !LeftoverBridge.exists(bridge.get())) {
                continue;
            }
            if (LeftoverBridge.removeIfIdle(host, bridge.get())) {
                reporter.emit(Event.Notice.info("removed " + bridge.get() + ", the bridge of the old network "
                        + network.name() + ": the recreated network has the same subnet, and the old bridge would"
                        + " take its traffic"));
            } else {
                reporter.emit(Event.Notice.warning("the bridge " + bridge.get() + " of the old network "
                        + network.name() + " is still there, with the subnet the recreated network gets: the host"
                        + " may route that network's traffic into it", "remove it: ip link delete " + bridge.get()));
            }
        }
    }
}
