package dev.stowage.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stopped dockerd leaves the Linux bridges of its user-defined networks ({@code br-<id>}) behind.
 * Once its data-root is reset, the recreated networks get new IDs and new bridges with the same
 * subnets, and the stale bridge's route shadows the new one: published ports stop answering. These
 * are removed while the daemon is down.
 */
public final class StaleBridges {
    private StaleBridges() {
    }

    /** Removes {@code br-<id12>} for each network ID whose bridge exists; returns the names removed. */
    public static List<String> remove(List<String> networkIds) {
        List<String> removed = new ArrayList<>();
        for (String id : networkIds) {
            if (id == null || id.length() < 12) {
                continue;
            }
            String bridge = "br-" + id.substring(0, 12);
            if (!Files.exists(Path.of("/sys/class/net", bridge))) {
                continue;
            }
            try {
                Process process = new ProcessBuilder("ip", "link", "del", bridge).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    removed.add(bridge);
                }
            } catch (IOException e) {
                return removed; // no iproute2: the stale bridge stays, and the report says nothing was removed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return removed;
            }
        }
        return removed;
    }
}
