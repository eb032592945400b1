package dev.stowage.report;

import java.util.List;
import java.util.Map;

/** Something a phase tells the operator. Renderers decide how it looks. */
public sealed interface Event {

    /** A step begins, e.g. "saving 12 images from the daemon". */
    record Step(String message) implements Event {
    }

    /**
     * A unit finished.
     *
     * @param key stable identity, e.g. {@code export/image/sha256:...}
     * @param action what happened: exported, reused, loaded, present, tagged, skipped, conflict
     * @param fields extra facts for JSON and for the plain line (layers, new blobs...)
     */
    record UnitDone(String key, String label, String action, long bytes, Map<String, Object> fields)
            implements Event {
        public UnitDone {
            fields = Map.copyOf(fields);
        }
    }

    /** Progress of the units in flight and of the whole run, in bytes. */
    record Progress(String activity, List<Bar> units, Bar overall) implements Event {
        public Progress {
            units = List.copyOf(units);
        }
    }

    /** Something the operator should read: {@code level} is "info" or "warning". */
    record Notice(String level, String message, String hint) implements Event {
        public static Notice info(String message) {
            return new Notice("info", message, null);
        }

        public static Notice warning(String message, String hint) {
            return new Notice("warning", message, hint);
        }
    }

    /**
     * The closing account of a run.
     *
     * @param fields machine-readable figures (snake_case keys), in print order
     * @param lines the same figures as sentences for a human
     */
    record Summary(String operation, Map<String, Object> fields, List<String> lines) implements Event {
        public Summary {
            lines = List.copyOf(lines);
        }
    }

    /** A byte-weighted progress bar. */
    record Bar(String label, long done, long total) {
        public double fraction() {
            return total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        }
    }
}
