package dev.stowage.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the /proc samples recorded on real devices under src/test/resources/probe. A series file
 * holds snapshots, each opened by {@code @ UPTIME_SECONDS}, followed by diskstats rows and
 * {@code psi }-prefixed lines of /proc/pressure/io.
 */
final class Recorded {
    private Recorded() {
    }

    static String text(String name) {
        try (InputStream in = Objects.requireNonNull(Recorded.class.getResourceAsStream("/probe/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Snapshot> series(String name) {
        List<Snapshot> snapshots = new ArrayList<>();
        double seconds = -1;
        StringBuilder disks = new StringBuilder();
        StringBuilder psi = new StringBuilder();
        for (String line : (text(name) + "\n@ end").split("\n")) {
            if (line.startsWith("@ ")) {
                if (seconds >= 0) {
                    snapshots.add(new Snapshot((long) (seconds * 1e9), Pressure.parse(psi.toString()),
                            DiskStat.parse(disks.toString()), Map.of()));
                }
                seconds = line.equals("@ end") ? -1 : Double.parseDouble(line.substring(2).trim());
                disks.setLength(0);
                psi.setLength(0);
            } else if (line.startsWith("psi ")) {
                psi.append(line.substring(4)).append('\n');
            } else {
                disks.append(line).append('\n');
            }
        }
        return snapshots;
    }
}
