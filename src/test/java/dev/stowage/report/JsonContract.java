package dev.stowage.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON output contract as written in {@code docs/json-output.md}: the tables between
 * {@code <!-- contract: NAME -->} and {@code <!-- end -->}. Tests check real lines against it, so
 * the document cannot drift from the output.
 *
 * <p>A line is described by several tables merged (e.g. common, status, status/unit,
 * unit/image/exported). A field of type {@code object} or {@code array} whose table {@code T} is
 * followed by a table {@code T.FIELD} has its object (or each element of its array) checked against
 * that table too, at any depth; a table {@code *.FIELD} serves a field of that name in every table
 * without its own. Without such a table the content is free-form (documented in prose).
 */
public final class JsonContract {
    /** One documented field: the JSON types it may have and whether every line of its kind carries it. */
    public record Field(String name, Set<String> types, boolean required) {
    }

    /** One JSON object and the names of the tables that describe it. */
    public record Described(List<String> tables, JsonNode object) {
    }

    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "object", "array", "null");
    private static final Pattern TABLE = Pattern.compile("<!-- contract: ([\\w/.*-]+) -->\\n(.*?)<!-- end -->",
            Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("^\\| *`?([\\w-]+)`? *\\| *([^|]*?) *\\| *([^|]*?) *\\|");

    private final Map<String, List<Field>> tables;
    private final Map<Integer, String> exitCodes;

    private JsonContract(Map<String, List<Field>> tables, Map<Integer, String> exitCodes) {
        this.tables = tables;
        this.exitCodes = exitCodes;
    }

    /** Reads {@code docs/json-output.md} from the project directory (Maven runs tests there). */
    public static JsonContract load() {
        try {
            return parse(Files.readString(Path.of("docs", "json-output.md"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonContract parse(String markdown) {
        Map<String, List<Field>> tables = new LinkedHashMap<>();
        Map<Integer, String> exitCodes = new LinkedHashMap<>();
        Matcher table = TABLE.matcher(markdown.replace("\r\n", "\n"));
        while (table.find()) {
            List<Field> fields = new ArrayList<>();
            for (String line : table.group(2).split("\n")) {
                Matcher row = ROW.matcher(line);
                if (!row.find() || line.startsWith("|---") || row.group(1).equals("field") || row.group(1).equals("code")) {
                    continue;
                }
                if (table.group(1).equals("exit-codes")) {
                    exitCodes.put(Integer.parseInt(row.group(1)), row.group(2).replace("`", ""));
                } else {
                    fields.add(new Field(row.group(1), types(table.group(1), row.group(2)), row.group(3).equals("always")));
                }
            }
            if (tables.put(table.group(1), fields) != null) {
                throw new IllegalStateException("docs/json-output.md has two tables named " + table.group(1));
            }
        }
        return new JsonContract(tables, exitCodes);
    }

    /** {@code string}, {@code `string` or `null`}, ... */
    private static Set<String> types(String table, String column) {
        Set<String> types = new LinkedHashSet<>();
        for (String type : column.replace("`", "").split(" or ")) {
            if (!TYPES.contains(type.strip())) {
                throw new IllegalStateException("docs/json-output.md, table " + table + ": unknown type '" + type + "'");
            }
            types.add(type.strip());
        }
        return types;
    }

    public Map<String, List<Field>> tables() {
        return tables;
    }

    /** Exit code to its documented {@code exit_reason}. */
    public Map<Integer, String> exitCodes() {
        return exitCodes;
    }

    /**
     * The top-level tables that describe this line, e.g. common, status, status/unit,
     * unit/image/exported (a unit's kind is the second part of its key: image, container, volume,
     * network, stop, start).
     */
    public List<String> tablesFor(JsonNode line) {
        List<String> names = new ArrayList<>(List.of("common"));
        String type = line.path("message_type").asText();
        if (type.equals("status")) {
            names.add("status");
            names.add("status/" + line.path("event").asText());
            if (line.path("event").asText().equals("unit")) {
                String[] key = line.path("key").asText().split("/");
                names.add("unit/" + (key.length > 1 ? key[1] : "?") + "/" + line.path("action").asText());
            }
        } else if (type.equals("summary")) {
            names.add("summary");
            names.add("summary/" + line.path("operation").asText()
                    + (line.path("dry_run").asBoolean(false) ? "/dry-run" : ""));
        } else {
            names.add(type);
        }
        return names;
    }

    /** The line and every nested object that a table describes, each with its tables. */
    public List<Described> describe(JsonNode line) {
        List<Described> all = new ArrayList<>();
        describe(tablesFor(line), line, all);
        return all;
    }

    private void describe(List<String> names, JsonNode object, List<Described> all) {
        all.add(new Described(names, object));
        for (String name : names) {
            for (Field field : tables.getOrDefault(name, List.of())) {
                String nested = tables.containsKey(name + "." + field.name()) ? name + "." + field.name()
                        : "*." + field.name();
                JsonNode value = object.get(field.name());
                if (value == null || !tables.containsKey(nested)) {
                    continue;
                }
                if (value.isObject()) {
                    describe(List.of(nested), value, all);
                } else if (value.isArray()) {
                    value.forEach(element -> describe(List.of(nested), element, all));
                }
            }
        }
    }

    /** Everything wrong with one line: undocumented kinds or fields, missing fields, wrong types. */
    public List<String> problems(JsonNode line) {
        List<String> problems = new ArrayList<>();
        for (Described part : describe(line)) {
            problems.addAll(problems(part, line));
        }
        if (line.path("message_type").asText().equals("error")) {
            String reason = exitCodes.get(line.path("exit_code").asInt(-1));
            if (reason == null || !reason.equals(line.path("exit_reason").asText())) {
                problems.add("exit_code/exit_reason not as documented in " + line);
            }
        }
        return problems;
    }

    private List<String> problems(Described part, JsonNode line) {
        List<String> problems = new ArrayList<>();
        String where = part.tables().size() == 1 ? " (table " + part.tables().get(0) + ") of " + line : " in " + line;
        if (!part.object().isObject()) {
            problems.add("not an object: " + part.object() + where);
            return problems;
        }
        Map<String, Field> allowed = new LinkedHashMap<>();
        for (String name : part.tables()) {
            List<Field> fields = tables.get(name);
            if (fields == null) {
                problems.add("no table '" + name + "' documents " + line);
                continue;
            }
            fields.forEach(f -> allowed.put(f.name(), f));
        }
        for (Field field : allowed.values()) {
            JsonNode value = part.object().get(field.name());
            if (value == null) {
                if (field.required()) {
                    problems.add("missing field '" + field.name() + "'" + where);
                }
            } else if (field.types().stream().noneMatch(type -> hasType(value, type))) {
                problems.add("field '" + field.name() + "' is not " + String.join(" or ", field.types()) + where);
            }
        }
        for (Iterator<String> names = part.object().fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.containsKey(name)) {
                problems.add("undocumented field '" + name + "'" + where);
            }
        }
        return problems;
    }

    /** The documented fields of {@code table} that none of {@code lines} (or their nested objects) carries. */
    public Set<String> unseen(String table, List<JsonNode> lines) {
        Set<String> unseen = new LinkedHashSet<>();
        tables.get(table).forEach(f -> unseen.add(f.name()));
        for (JsonNode line : lines) {
            for (Described part : describe(line)) {
                if (part.tables().contains(table)) {
                    part.object().fieldNames().forEachRemaining(unseen::remove);
                }
            }
        }
        return unseen;
    }

    /** Every table that describes some part of {@code lines}. */
    public Set<String> seen(List<JsonNode> lines) {
        Set<String> seen = new LinkedHashSet<>();
        lines.forEach(line -> describe(line).forEach(part -> seen.addAll(part.tables())));
        return seen;
    }

    private static boolean hasType(JsonNode value, String type) {
        switch (type) {
            case "string":
                return value.isTextual();
            case "integer":
                return value.isIntegralNumber();
            case "number":
                return value.isNumber();
            case "boolean":
                return value.isBoolean();
            case "object":
                return value.isObject();
            case "array":
                return value.isArray();
            case "null":
                return value.isNull();
            default:
                throw new IllegalStateException("unknown type: " + type);
        }
    }
}
