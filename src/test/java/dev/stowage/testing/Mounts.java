package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads the mount table, to undo the mounts a daemon or a test left under a directory. */
public final class Mounts {
    private Mounts() {
    }

    /** Mount points at or under {@code dir}, deepest first. */
    public static List<Path> under(Path dir) {
        List<Path> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                Path point = Path.of(fields[4].replace("\\040", " "));
                if (point.startsWith(dir)) {
                    points.add(point);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        points.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return points;
    }

    public static void unmountUnder(Path dir) {
        for (Path point : under(dir)) {
            Shell.quietly("umount", "-l", point.toString());
        }
    }
}
