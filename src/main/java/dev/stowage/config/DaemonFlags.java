package dev.stowage.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * dockerd's command-line flags, parsed as its flag library (pflag) parses them, and the
 * daemon.json key each one collides with. dockerd refuses to start when a setting is given both
 * ways ("the following directives are specified both as a flag and in the configuration file"),
 * so these are what {@link ConflictCheck} compares against the file.
 *
 * <p>dockerd takes no positional arguments, so a word that does not start with {@code -} is the
 * value of the flag before it; a flag followed by another flag, or by nothing, is a boolean.
 * That rule needs no list of dockerd's boolean flags, which changes between versions.
 */
final class DaemonFlags {
    /** Shorthands of dockerd 20.10 to 27, by the long flag they stand for. */
    private static final Map<Character, String> SHORTHANDS = Map.of(
            'D', "debug", 'G', "group", 'H', "host", 'b', "bridge", 'l', "log-level", 'p', "pidfile",
            's', "storage-driver", 'g', "graph", 'v', "version", 'h', "help");
    /** Shorthands whose flag takes a value: inside a group like {@code -Ds overlay2}, the rest is it. */
    private static final String VALUE_SHORTHANDS = "GHblpsg";

    /**
     * List flags whose daemon.json key is a different word (dockerd's "named options"); every
     * other flag collides with the key of its own long name.
     */
    private static final Map<String, String> NAMED_OPTIONS = Map.ofEntries(
            Map.entry("storage-opt", "storage-opts"),
            Map.entry("label", "labels"),
            Map.entry("host", "hosts"),
            Map.entry("authorization-plugin", "authorization-plugins"),
            Map.entry("dns-opt", "dns-opts"),
            Map.entry("exec-opt", "exec-opts"),
            Map.entry("log-opt", "log-opts"),
            Map.entry("insecure-registry", "insecure-registries"),
            Map.entry("registry-mirror", "registry-mirrors"),
            Map.entry("add-runtime", "runtimes"),
            Map.entry("default-ulimit", "default-ulimits"),
            Map.entry("cluster-store-opt", "cluster-store-opts"),
            Map.entry("node-generic-resource", "node-generic-resources"),
            Map.entry("default-address-pool", "default-address-pools"));

    private DaemonFlags() {
    }

    /**
     * One flag as written.
     *
     * @param name the long name without dashes, also for a shorthand ({@code -s} is {@code storage-driver})
     * @param spelled how it was written: {@code -s}, {@code --storage-driver}
     * @param value its value, or null for a boolean flag without {@code =}
     * @param firstWord index of its first word in the parsed list
     * @param wordCount 1, or 2 when the value is the next word
     * @param grouped whether it shares its word with other shorthands ({@code -Ds})
     */
    record Parsed(String name, String spelled, String value, int firstWord, int wordCount, boolean grouped) {
    }

    static List<Parsed> parse(List<String> words) {
        List<Parsed> flags = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            boolean nextIsValue = i + 1 < words.size() && !words.get(i + 1).startsWith("-");
            if (word.equals("--")) {
                break;
            }
            if (word.startsWith("--")) {
                int eq = word.indexOf('=');
                String name = word.substring(2, eq < 0 ? word.length() : eq);
                if (eq >= 0) {
                    flags.add(new Parsed(name, "--" + name, word.substring(eq + 1), i, 1, false));
                } else if (nextIsValue) {
                    flags.add(new Parsed(name, word, words.get(i + 1), i, 2, false));
                    i++;
                } else {
                    flags.add(new Parsed(name, word, null, i, 1, false));
                }
            } else if (word.startsWith("-") && word.length() > 1) {
                i += shorthands(words, i, flags);
            }
        }
        return flags;
    }

    /** Parses one word of shorthands; returns how many extra words it consumed (0 or 1). */
    private static int shorthands(List<String> words, int index, List<Parsed> flags) {
        String word = words.get(index);
        List<Parsed> group = new ArrayList<>();
        int consumed = 0;
        for (int k = 1; k < word.length(); k++) {
            char c = word.charAt(k);
            String name = SHORTHANDS.getOrDefault(c, String.valueOf(c));
            if (VALUE_SHORTHANDS.indexOf(c) < 0) {
                group.add(new Parsed(name, "-" + c, null, index, 1, false));
                continue;
            }
            String rest = word.substring(k + 1);
            if (rest.startsWith("=")) {
                rest = rest.substring(1);
            }
            if (!rest.isEmpty()) {
                group.add(new Parsed(name, "-" + c, rest, index, 1, false));
            } else if (index + 1 < words.size()) {
                group.add(new Parsed(name, "-" + c, words.get(index + 1), index, 2, false));
                consumed = 1;
            } else {
                group.add(new Parsed(name, "-" + c, null, index, 1, false));
            }
            break;
        }
        boolean grouped = group.size() > 1;
        group.forEach(p -> flags.add(grouped
                ? new Parsed(p.name(), p.spelled(), p.value(), p.firstWord(), p.wordCount(), true) : p));
        return consumed;
    }

    /** The daemon.json key that a flag of this long name collides with. */
    static String jsonKey(String name) {
        return NAMED_OPTIONS.getOrDefault(name, name);
    }
}
