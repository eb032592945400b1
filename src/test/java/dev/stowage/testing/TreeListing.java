package dev.stowage.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent description of a directory tree, made by GNU find, stat, getfattr and getfacl
 * (not by Stowage's own code), for tests to compare two trees: per path its type, mode, numeric
 * owner, nanosecond mtime, size (files), symlink target, device numbers, hardlink group, every
 * xattr in hex, and the ACLs. Paths and groups are sorted, so equal trees give equal text.
 */
public final class TreeListing {
    private TreeListing() {
    }

    public static String of(Path root) {
        return inodes(root) + "\n" + blocks(root, "getfattr -R -P -h -d -m - -e hex .") + "\n"
                + blocks(root, "getfacl -R -P -p -n .");
    }

    private static String inodes(Path root) {
        String out = sh(root, "find . -printf '%P\\t%y\\t%#m\\t%U\\t%G\\t%T@\\t%s\\t%l\\t%n\\t%i\\n'");
        Map<String, String> firstByInode = new HashMap<>();
        TreeMap<String, String> lines = new TreeMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", -1);
            String path = f[0];
            String type = f[1];
            String size = type.equals("f") ? f[6] : "-";
            String group = "";
            if (!type.equals("d") && Integer.parseInt(f[8]) > 1) {
                group = "link-group=" + firstByInode.computeIfAbsent(f[9], inode -> path);
            }
            String device = "";
            if (type.equals("c") || type.equals("b")) {
                device = sh(root, "stat -c '%t:%T' './" + path.replace("'", "'\\''") + "'").trim();
            }
            lines.put(path, String.join(" ", type, f[2], f[3] + ":" + f[4], f[5], size, "->" + f[7], device, group));
        }
        // link groups are named after the first path find met; rename them to the smallest path
        Map<String, String> smallest = new HashMap<>();
        lines.forEach((path, line) -> {
            int at = line.indexOf("link-group=");
            if (at >= 0) {
                smallest.merge(line.substring(at), path, (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        });
        StringBuilder text = new StringBuilder();
        lines.forEach((path, line) -> {
            int at = line.indexOf("link-group=");
            String shown = at < 0 ? line : line.substring(0, at) + "link-group=" + smallest.get(line.substring(at));
            text.append(path).append(' ').append(shown).append('\n');
        });
        return text.toString();
    }

    /** Output of a tool that prints one "# file: PATH" block per file, sorted by path. */
    private static String blocks(Path root, String command) {
        TreeMap<String, String> blocks = new TreeMap<>();
        String current = null;
        List<String> lines = new ArrayList<>();
        for (String line : (sh(root, command) + "\n# file: \n").split("\n")) {
            if (line.startsWith("# file: ")) {
                if (current != null) {
                    blocks.put(current, String.join("\n", lines));
                }
                current = line.substring("# file: ".length());
                lines.clear();
            } else if (!line.isBlank()) {
                lines.add(line);
            }
        }
        StringBuilder text = new StringBuilder();
        blocks.forEach((path, block) -> text.append("# ").append(path).append('\n').append(block).append('\n'));
        return text.toString();
    }

    private static String sh(Path dir, String command) {
        // cat -v: names need not be UTF-8, and Shell reads output as UTF-8
        return Shell.run("sh", "-c", "cd '" + dir + "' && " + command + " | cat -v");
    }
}
