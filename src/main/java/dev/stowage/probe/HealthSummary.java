package dev.stowage.probe;

import dev.stowage.model.ByteSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@link HealthReport} as figures for JSON (snake_case keys; add, never rename) and as lines for
 * a human. Pure functions: the caller decides where they go.
 */
public final class HealthSummary {
    private HealthSummary() {
    }

    public static Map<String, Object> fields(HealthReport report) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("verdict", report.verdict().word());
        fields.put("exit_code", report.verdict().exitCode().code());
        fields.put("duration_ms", Math.round(report.seconds() * 1000));
        fields.put("targets", report.targets().stream().map(HealthSummary::target).collect(Collectors.toList()));
        report.pressure().ifPresent(p -> fields.put("pressure", ordered("seconds", round(p.seconds()),
                "some_percent", round(p.somePercent()), "full_percent", round(p.fullPercent()))));
        fields.put("findings", report.findings().stream().map(HealthSummary::finding).collect(Collectors.toList()));
        return fields;
    }

    private static Map<String, Object> target(TargetReport r) {
        Target t = r.target();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("paths", t.paths().stream().map(Path::toString).collect(Collectors.toList()));
        m.put("verdict", r.verdict().word());
        m.put("probe_dir", t.probeDir().toString());
        m.put("mount_point", t.mount().mountPoint().toString());
        m.put("fs_type", t.mount().fsType());
        m.put("source", t.mount().source());
        t.device().ifPresent(d -> {
            m.put("device", d.name());
            m.put("device_id", d.deviceId());
            m.put("partition", d.partition());
        });
        r.space().ifPresent(s -> m.put("space", ordered("total_bytes", s.totalBytes(),
                "available_bytes", s.availableBytes(), "inodes", s.inodes(), "available_inodes", s.availableInodes(),
                "read_only", s.readOnly())));
        r.errors().ifPresent(e -> m.put("fs_errors", e.count()));
        r.activity().ifPresent(a -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("seconds", round(a.seconds()));
            d.put("reads_per_second", round(a.readsPerSecond()));
            d.put("writes_per_second", round(a.writesPerSecond()));
            d.put("await_ms", round(a.awaitMillis()));
            d.put("util_percent", round(a.utilisation() * 100));
            d.put("queue_depth", round(a.queueDepth()));
            d.put("in_flight", a.inFlight());
            m.put("diskstats", d);
        });
        r.active().ifPresent(a -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("mode", a.mode());
            p.put("seconds", round(a.seconds()));
            p.put("writes", latency(a.writes()));
            p.put("reads", latency(a.reads()));
            a.pending().ifPresent(x -> p.put("pending", ordered("operation", x.operation(),
                    "waited_ms", round(x.waitedMicros() / 1000.0))));
            a.error().ifPresent(e -> p.put("error", e));
            m.put("active", p);
        });
        return m;
    }

    private static Map<String, Object> latency(LatencyStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.count());
        m.put("p50_ms", round(s.p50Micros() / 1000.0));
        m.put("p95_ms", round(s.p95Micros() / 1000.0));
        m.put("max_ms", round(s.maxMicros() / 1000.0));
        m.put("slow_count", s.slow());
        m.put("per_second", round(s.opsPerSecond()));
        return m;
    }

    private static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", f.level().word());
        m.put("subject", f.subject());
        m.put("signal", f.signal());
        m.put("message", f.message());
        if (f.remedy() != null) {
            m.put("remedy", f.remedy());
        }
        return m;
    }

    public static List<String> lines(HealthReport report) {
        List<String> lines = new ArrayList<>();
        for (TargetReport r : report.targets()) {
            Target t = r.target();
            lines.add(t.paths().stream().map(Path::toString).collect(Collectors.joining(", ")) + ": " + t.describe());
            r.space().ifPresent(s -> lines.add(String.format(Locale.ROOT, "  space: %s free of %s (%.0f %%)%s",
                    ByteSize.of(s.availableBytes()).human(), ByteSize.of(s.totalBytes()).human(),
                    s.availableFraction() * 100, s.inodes() <= 0 ? "" : String.format(Locale.ROOT,
                            ", inodes: %s free of %s", FilesystemRules.count(s.availableInodes()),
                            FilesystemRules.count(s.inodes())))));
            r.activity().ifPresent(a -> lines.add(String.format(Locale.ROOT,
                    "  device over %.1f s: %.0f r/s, %.0f w/s, await %.1f ms, util %.0f %%, queue %.1f, in flight %d",
                    a.seconds(), a.readsPerSecond(), a.writesPerSecond(), a.awaitMillis(), a.utilisation() * 100,
                    a.queueDepth(), a.inFlight())));
            r.active().ifPresent(a -> {
                if (a.writes().count() > 0) {
                    lines.add("  writes: " + a.writes().count() + " x 4 KiB " + a.mode() + ", " + a.writes().describe());
                }
                if (a.reads().count() > 0) {
                    lines.add("  reads:  " + a.reads().count() + " x 4 KiB " + a.mode().replace("+dsync", "") + ", "
                            + a.reads().describe());
                }
            });
            r.findings().forEach(f -> finding(lines, f));
        }
        report.pressure().ifPresent(p -> lines.add(String.format(Locale.ROOT,
                "host: io pressure some %.1f %%, full %.1f %% over %.1f s", p.somePercent(), p.fullPercent(),
                p.seconds())));
        report.host().forEach(f -> finding(lines, f));
        long problems = report.problems().size();
        lines.add(String.format(Locale.ROOT, "verdict: %s%s (checked in %.1f s)", report.verdict().word(),
                problems == 0 ? "" : ", " + problems + " problem" + (problems == 1 ? "" : "s"), report.seconds()));
        return lines;
    }

    private static void finding(List<String> lines, Finding f) {
        if (f.level() == Verdict.HEALTHY) {
            lines.add("  note: " + f.message());
        } else {
            lines.add("  " + f.level().word().toUpperCase(Locale.ROOT) + ": " + f.message());
            if (f.remedy() != null) {
                lines.add("    remedy: " + f.remedy());
            }
        }
    }

    /** A map that keeps the order written, so JSON fields come out the same way every time. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
