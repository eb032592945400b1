package dev.stowage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Linux bridge that dockerd made for a user-defined bridge network ({@code br-} and the first 12
 * hex digits of the network's ID, unless the network names its own bridge). dockerd never removes
 * it when it stops, so it outlives the network when the data-root is wiped or left behind. The
 * network recreated on the new storage has a new ID, hence a second bridge with the same subnet,
 * and the kernel keeps routing that subnet through the first one, which has no ports: the
 * containers are unreachable from the host and their published ports time out. Removing the
 * leftover before the network is recreated is safe: a daemon that still knew the old network (a
 * rollback to the old data-root) would make its bridge again when it starts.
 */
public final class LeftoverBridge {
    private static final String NAME_OPTION = "com.docker.network.bridge.name";
    private static final Path NET = Path.of("/sys/class/net");

    private LeftoverBridge() {
    }

    /**
     * The bridge a network had, when it is one that a recreated network would not reuse: the
     * default {@code br-<id>} name of a bridge-driver network. Empty for networks that named their
     * bridge (the new network takes the same name and reuses it) and for other drivers.
     *
     * @param create the network's {@code POST /networks/create} body, as the manifest keeps it
     */
    public static Optional<String> of(String networkId, String driver, JsonNode create) {
        if (!"bridge".equals(driver) || networkId == null || networkId.length() < 12
                || !create.path("Options").path(NAME_OPTION).asText("").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("br-" + networkId.substring(0, 12));
    }

    /**
     * Removes {@code name} if it is a bridge on this machine with no port attached; returns whether
     * it did. Only for a daemon on this machine (a unix socket): a remote daemon's bridges are not here.
     */
    public static boolean removeIfIdle(DockerHost host, String name) {
        Path device = NET.resolve(name);
        if (!host.isUnix() || !name.matches("br-[0-9a-f]{12}") || !Files.isDirectory(device.resolve("bridge"))
                || hasPorts(device)) {
            return false;
        }
        try {
            Process ip = new ProcessBuilder("ip", "link", "delete", name).redirectErrorStream(true).start();
            String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!ip.waitFor(30, TimeUnit.SECONDS)) {
                ip.destroyForcibly();
                return false;
            }
            return ip.exitValue() == 0 || output.contains("Cannot find device");
        } catch (IOException e) {
            return false; // no iproute2: the operator is told about the bridge instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether {@code name} exists on this machine (to tell the operator about one that could not go). */
    public static boolean exists(String name) {
        return Files.exists(NET.resolve(name));
    }

    private static boolean hasPorts(Path device) {
        try (Stream<Path> ports = Files.list(device.resolve("brif"))) {
            return ports.findAny().isPresent();
        } catch (IOException e) {
            return true; // cannot tell: leave it
        }
    }
}
