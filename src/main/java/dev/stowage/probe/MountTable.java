package dev.stowage.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** The mount table of this process, parsed from {@code /proc/self/mountinfo}. */
public final class MountTable {
    private final List<MountEntry> entries;

    private MountTable(List<MountEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static MountTable read(Path mountinfo) {
        try {
            return parse(Files.readString(mountinfo));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mountinfo, e);
        }
    }

    /** Parses the text of a mountinfo file; malformed lines are skipped, not fatal. */
    public static MountTable parse(String text) {
        List<MountEntry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                parseLine(line).ifPresent(entries::add);
            }
        }
        return new MountTable(entries);
    }

    private static Optional<MountEntry> parseLine(String line) {
        // id parent MAJ:MIN root mountpoint options [optional fields...] - fstype source superoptions
        String[] f = line.trim().split(" ");
        int dash = Arrays.asList(f).indexOf("-");
        if (f.length < 7 || dash < 6 || f.length < dash + 3) {
            return Optional.empty();
        }
        try {
            String[] device = f[2].split(":");
            return Optional.of(new MountEntry(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                    Integer.parseInt(device[0]), Integer.parseInt(device[1]), unescape(f[3]),
                    Path.of(unescape(f[4])), new HashSet<>(Arrays.asList(f[5].split(","))), f[dash + 1],
                    unescape(f[dash + 2]),
                    f.length > dash + 3 ? new HashSet<>(Arrays.asList(f[dash + 3].split(","))) : new HashSet<>()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The kernel writes space, tab, newline and backslash as three-digit octal escapes. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    public List<MountEntry> entries() {
        return entries;
    }

    /**
     * The mount that holds {@code path}: the longest mount point that contains it, and of several
     * mounts stacked on that point the last one, which hides the others.
     *
     * @param path an absolute path with symlinks resolved
     */
    public Optional<MountEntry> find(Path path) {
        MountEntry best = null;
        for (MountEntry entry : entries) {
            if (path.startsWith(entry.mountPoint())
                    && (best == null || entry.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = entry;
            }
        }
        return Optional.ofNullable(best);
    }
}
