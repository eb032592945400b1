package dev.stowage.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file of {@code KEY=VALUE} lines, read the way systemd reads an {@code EnvironmentFile=}
 * (/etc/sysconfig/docker, /etc/sysconfig/docker-storage, /etc/default/docker): {@code #} and
 * {@code ;} start comment lines, values may be single- or double-quoted, a backslash at the end of
 * a line continues it, and of a key set twice the last one counts. An edit rewrites one
 * assignment and leaves every other line, comment and blank as it was.
 */
public final class EnvFile {
    private static final Pattern KEY = Pattern.compile("[ \\t]*(export[ \\t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \\t]*=");

    private final String text;
    private final List<Assignment> assignments;

    /**
     * One assignment, as offsets into the text: from the start of its first line to the end of
     * its last (before the newline).
     */
    record Assignment(String key, String value, int start, int end, boolean exported) {
    }

    private EnvFile(String text, List<Assignment> assignments) {
        this.text = text;
        this.assignments = List.copyOf(assignments);
    }

    public static EnvFile parse(String text) {
        List<Assignment> found = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int lineEnd = lineEnd(text, pos);
            String line = text.substring(pos, lineEnd).stripLeading();
            Matcher key = KEY.matcher(text).region(pos, lineEnd);
            if (line.startsWith("#") || line.startsWith(";") || !key.lookingAt()) {
                pos = lineEnd + 1;
                continue;
            }
            StringBuilder value = new StringBuilder();
            int end = readValue(text, key.end(), value);
            found.add(new Assignment(key.group(2), value.toString(), pos, end, key.group(1) != null));
            pos = end + 1;
        }
        return new EnvFile(text, found);
    }

    private static int lineEnd(String text, int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline;
    }

    /** Reads one value from {@code pos}; returns the offset of the newline (or end) that ends it. */
    private static int readValue(String text, int pos, StringBuilder value) {
        int i = pos;
        int trailingSpace = 0;
        while (i < text.length() && text.charAt(i) != '\n') {
            char c = text.charAt(i);
            if (c == '\'') {
                int close = text.indexOf('\'', i + 1);
                int stop = close < 0 ? text.length() : close;
                value.append(text, i + 1, stop);
                i = stop + 1;
                trailingSpace = 0;
            } else if (c == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    char d = text.charAt(i);
                    if (d == '\\' && i + 1 < text.length() && "\"\\`$\n".indexOf(text.charAt(i + 1)) >= 0) {
                        if (text.charAt(i + 1) != '\n') {
                            value.append(text.charAt(i + 1));
                        }
                        i += 2;
                    } else {
                        value.append(d);
                        i++;
                    }
                }
                i++;
                trailingSpace = 0;
            } else if (c == '\\' && i + 1 < text.length()) {
                if (text.charAt(i + 1) != '\n') {
                    value.append(text.charAt(i + 1));
                }
                i += 2;
                trailingSpace = 0;
            } else {
                value.append(c);
                trailingSpace = Character.isWhitespace(c) ? trailingSpace + 1 : 0;
                i++;
            }
        }
        value.setLength(value.length() - trailingSpace);
        return Math.min(i, text.length());
    }

    public String text() {
        return text;
    }

    /** The value the file gives {@code key}: its last assignment. */
    public Optional<String> get(String key) {
        return last(key).map(Assignment::value);
    }

    /** Every variable with its last value, in order of first assignment. */
    public Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        assignments.forEach(a -> variables.put(a.key(), a.value()));
        return variables;
    }

    /**
     * The file with {@code key} set to {@code value}, double-quoted: the last assignment of the key
     * is rewritten in place, or a new line is added at the end.
     */
    public EnvFile with(String key, String value) {
        Optional<Assignment> existing = last(key);
        if (existing.isPresent() && existing.get().value().equals(value)) {
            return this;
        }
        if (existing.isPresent()) {
            Assignment a = existing.get();
            String line = (a.exported() ? "export " : "") + key + "=" + quote(value);
            return parse(text.substring(0, a.start()) + line + text.substring(a.end()));
        }
        String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        return parse(text + separator + key + "=" + quote(value) + "\n");
    }

    private Optional<Assignment> last(String key) {
        Assignment found = null;
        for (Assignment a : assignments) {
            if (a.key().equals(key)) {
                found = a;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Double quotes, escaping what a shell and systemd would otherwise interpret inside them. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if ("\"\\`$".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
