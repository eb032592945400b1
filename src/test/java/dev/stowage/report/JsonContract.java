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
 */
public final class JsonContract {
    /** One documented field: its JSON type and whether every line of its kind carries it. */
    public record Field(String name, String type, boolean required) {
    }

    private static final Pattern TABLE = Pattern.compile("<!-- contract: ([\\w/-]+) -->\\n(.*?)<!-- end -->",
            Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("^\\| *`?([\\w-]+)`? *\\| *`?([\\w-]+)`? *\\| *([^|]*?) *\\|");

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
                    exitCodes.put(Integer.parseInt(row.group(1)), row.group(2));
                } else {
                    fields.add(new Field(row.group(1), row.group(2), row.group(3).equals("always")));
                }
            }
            tables.put(table.group(1), fields);
        }
        return new JsonContract(tables, exitCodes);
    }

    public Map<String, List<Field>> tables() {
        return tables;
    }

    /** Exit code to its documented {@code exit_reason}. */
    public Map<Integer, String> exitCodes() {
        return exitCodes;
    }

    /** The tables that describe this line, e.g. common, status, status/unit, unit/exported. */
    public List<String> tablesFor(JsonNode line) {
        List<String> names = new ArrayList<>(List.of("common"));
        String type = line.path("message_type").asText();
        if (type.equals("status")) {
            names.add("status");
            names.add("status/" + line.path("event").asText());
            if (line.path("event").asText().equals("unit")) {
                names.add("unit/" + line.path("action").asText());
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

    /** Everything wrong with one line: undocumented kinds or fields, missing fields, wrong types. */
    public List<String> problems(JsonNode line) {
        List<String> problems = new ArrayList<>();
        Map<String, Field> allowed = new LinkedHashMap<>();
        for (String name : tablesFor(line)) {
            List<Field> fields = tables.get(name);
            if (fields == null) {
                problems.add("no table '" + name + "' documents " + line);
                continue;
            }
            fields.forEach(f -> allowed.put(f.name(), f));
        }
        for (Field field : allowed.values()) {
            JsonNode value = line.get(field.name());
            if (value == null) {
                if (field.required()) {
                    problems.add("missing field '" + field.name() + "' in " + line);
                }
            } else if (!hasType(value, field.type())) {
                problems.add("field '" + field.name() + "' is not a " + field.type() + " in " + line);
            }
        }
        for (Iterator<String> names = line.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.containsKey(name)) {
                problems.add("undocumented field '" + name + "' in " + line);
            }
        }
        if (line.path("message_type").asText().equals("error")) {
            String reason = exitCodes.get(line.path("exit_code").asInt(-1));
            if (reason == null || !reason.equals(line.path("exit_reason").asText())) {
                problems.add("exit_code/exit_reason not as documented in " + line);
            }
        }
        return problems;
    }

    /** The documented fields of {@code table} that none of {@code lines} carries. */
    public Set<String> unseen(String table, List<JsonNode> lines) {
        Set<String> unseen = new LinkedHashSet<>();
        tables.get(table).forEach(f -> unseen.add(f.name()));
        for (JsonNode line : lines) {
            if (tablesFor(line).contains(table)) {
                line.fieldNames().forEachRemaining(unseen::remove);
            }
        }
        return unseen;
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
            default:
                throw new IllegalStateException("docs/json-output.md uses an unknown type: " + type);
        }
    }
}
