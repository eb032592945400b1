package dev.stowage.phase;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A phase's share of the closing summary: figures for JSON, sentences for a human. */
record SummaryPart(Map<String, Object> fields, List<String> lines) {
    SummaryPart {
        fields = new LinkedHashMap<>(fields);
        lines = List.copyOf(lines);
    }

    static SummaryPart empty() {
        return new SummaryPart(Map.of(), List.of());
    }
}
