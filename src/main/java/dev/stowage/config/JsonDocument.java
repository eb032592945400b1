package dev.stowage.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A daemon.json as text. Edits replace, add or remove one top-level member and leave every other
 * byte as it was: key order, indentation, number spelling and escapes of the keys nobody asked to
 * change. An operator reviewing the diff sees only the lines that matter.
 *
 * <p>Parsing is as strict as dockerd's (Go's encoding/json): no comments, no trailing commas, no
 * content after the object. Duplicate keys are refused too: Go keeps the last one silently, so an
 * edit of the first would have no effect.
 */
public final class JsonDocument {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final String BOM = "\uFEFF";

    private final String text;
    private final String name;
    private final ObjectNode tree;
    private final List<Member> members;
    private final int open;
    private final int close;

    /** One top-level member: offsets into the text of its key (at the quote) and its value. */
    private record Member(String key, int keyStart, int keyEnd, int valueStart, int valueEnd) {
    }

    private JsonDocument(String text, String name, ObjectNode tree, List<Member> members, int open, int close) {
        this.text = text;
        this.name = name;
        this.tree = tree;
        this.members = List.copyOf(members);
        this.open = open;
        this.close = close;
    }

    /** The document of a file that does not exist yet, or is empty: an empty object. */
    public static JsonDocument empty(String name) {
        return parse("{}\n", name);
    }

    /**
     * Parses {@code text}; {@code name} (the file) appears in errors.
     *
     * @throws StowageException (precheck) naming the line and column of the first error
     */
    public static JsonDocument parse(String text, String name) {
        String body = text.startsWith(BOM) ? text.substring(1) : text;
        if (body.isBlank()) {
            return empty(name);
        }
        int shift = text.length() - body.length();
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(name, parser.currentTokenLocation(), "the top level must be a JSON object { ... }");
            }
            int open = offset(parser.currentTokenLocation()) + shift;
            List<Member> members = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyStart = offset(parser.currentTokenLocation()) + shift;
                int keyEnd = keyEnd(body, keyStart - shift) + shift;
                JsonToken value = parser.nextToken();
                int valueStart = offset(parser.currentTokenLocation()) + shift;
                int valueEnd;
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    valueEnd = offset(parser.currentTokenLocation()) + 1 + shift;
                } else {
                    parser.finishToken();
                    valueEnd = offset(parser.currentLocation()) + shift;
                }
                members.add(new Member(key, keyStart, keyEnd, valueStart, valueEnd));
            }
            int close = offset(parser.currentTokenLocation()) + shift;
            if (parser.nextToken() != null) {
                throw invalid(name, parser.currentTokenLocation(), "unexpected content after the closing }");
            }
            ObjectNode tree = (ObjectNode) MAPPER.readTree(body);
            return new JsonDocument(text, name, tree, members, open, close);
        } catch (JsonProcessingException e) {
            throw invalid(name, e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot parse " + name + ": " + e.getMessage(), null, e);
        }
    }

    private static int offset(JsonLocation location) {
        return (int) location.getCharOffset();
    }

    /** The offset just past the closing quote of the key string starting at {@code start}. */
    private static int keyEnd(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return text.length();
    }

    private static StowageException invalid(String name, JsonLocation at, String problem) {
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String first = problem == null ? "invalid JSON" : problem.lines().findFirst().orElse(problem);
        return new StowageException(ExitCode.PRECHECK, name + " is not valid JSON" + where + ": " + first,
                "fix the file by hand (dockerd would refuse to start with it as it is), then run again;"
                        + " stowage edits only files it can read whole");
    }

    public String text() {
        return text;
    }

    public Optional<JsonNode> get(String key) {
        return Optional.ofNullable(tree.get(key));
    }

    public boolean has(String key) {
        return tree.has(key);
    }

    /** The keys in file order. */
    public List<String> keys() {
        return members.stream().map(Member::key).toList();
    }

    /** The document with {@code key} set to {@code value}: replaced where it is, else added last. */
    public JsonDocument with(String key, JsonNode value) {
        Optional<Member> existing = member(key);
        if (existing.isPresent()) {
            Member m = existing.get();
            String rendered = render(value, indentOf(m));
            if (text.substring(m.valueStart(), m.valueEnd()).equals(rendered) || tree.get(key).equals(value)) {
                return this;
            }
            return reparse(text.substring(0, m.valueStart()) + rendered + text.substring(m.valueEnd()));
        }
        if (members.isEmpty()) {
            String member = "\n  " + quote(key) + ": " + render(value, "  ") + "\n";
            return reparse(text.substring(0, open + 1) + member + text.substring(close));
        }
        Member first = members.get(0);
        Member last = members.get(members.size() - 1);
        // between two members: the comma and the file's own line break and indent, or ", "
        String separator = text.substring(first.keyEnd(), first.valueStart());
        String lead = text.substring(open + 1, first.keyStart());
        String joiner = members.size() > 1
                ? text.substring(members.get(members.size() - 2).valueEnd(), last.keyStart())
                : "," + (lead.isEmpty() && separator.endsWith(" ") ? " " : lead);
        String member = joiner + quote(key) + separator + render(value, indentOf(first));
        return reparse(text.substring(0, last.valueEnd()) + member + text.substring(last.valueEnd()));
    }

    /** The document without {@code key}; the same document if it has no such key. */
    public JsonDocument without(String key) {
        int index = keys().indexOf(key);
        if (index < 0) {
            return this;
        }
        if (members.size() == 1) {
            return reparse(text.substring(0, open + 1) + text.substring(close));
        }
        Member m = members.get(index);
        if (index == 0) {
            return reparse(text.substring(0, m.keyStart()) + text.substring(members.get(1).keyStart()));
        }
        return reparse(text.substring(0, members.get(index - 1).valueEnd()) + text.substring(m.valueEnd()));
    }

    private Optional<Member> member(String key) {
        return members.stream().filter(m -> m.key().equals(key)).findFirst();
    }

    private JsonDocument reparse(String newText) {
        return parse(newText, name);
    }

    /** The whitespace before a member's key on its line, or null when the file is on one line. */
    private String indentOf(Member m) {
        int lineStart = text.lastIndexOf('\n', m.keyStart());
        if (lineStart < open) {
            return null;
        }
        String indent = text.substring(lineStart + 1, m.keyStart());
        return indent.isBlank() ? indent : null;
    }

    /**
     * A value in the file's style: a list over several lines, one level deeper than its key, in a
     * file whose members sit on their own lines; on one line otherwise.
     */
    private static String render(JsonNode value, String indent) {
        if (value.isArray() && value.size() > 0 && indent != null) {
            String unit = indent.isEmpty() ? "  " : indent;
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < value.size(); i++) {
                out.append(i == 0 ? "\n" : ",\n").append(indent).append(unit).append(compact(value.get(i)));
            }
            return out.append('\n').append(indent).append(']').toString();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(compact(item)));
            return "[" + String.join(", ", items) + "]";
        }
        return compact(value);
    }

    private static String compact(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + value, e);
        }
    }

    private static String quote(String key) {
        return compact(MAPPER.getNodeFactory().textNode(key));
    }
}
