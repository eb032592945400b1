package dev.stowage.cli;

import dev.stowage.config.ConfigChange;
import dev.stowage.config.DaemonConfig;
import dev.stowage.config.FileEdit;
import dev.stowage.model.Precheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The closing account of {@code storage modify}: JSON fields and text lines. */
final class ModifySummary {
    private ModifySummary() {
    }

    static Map<String, Object> fields(ConfigChange change, List<Precheck> findings, List<DaemonConfig.Applied> applied,
            boolean dryRun) {
        Map<String, Object> fields = new LinkedHashMap<>();
        boolean blocked = findings.stream().anyMatch(Precheck::blocks);
        fields.put("dry_run", dryRun);
        fields.put("blocked", blocked);
        fields.put("changed", applied.stream().anyMatch(DaemonConfig.Applied::written));
        fields.put("before", change.before().fields());
        fields.put("after", change.after().fields());
        List<Map<String, Object>> files = new ArrayList<>();
        for (FileEdit edit : change.edits()) {
            Map<String, Object> file = new LinkedHashMap<>();
            Optional<DaemonConfig.Applied> done = applied.stream().filter(a -> a.path().equals(edit.path())).findFirst();
            file.put("path", edit.path().toString());
            file.put("action", edit.creates() ? "create" : "replace");
            file.put("written", done.map(DaemonConfig.Applied::written).orElse(false));
            done.flatMap(DaemonConfig.Applied::backup).ifPresent(b -> file.put("backup", b.toString()));
            file.put("changes", edit.changes());
            files.add(file);
        }
        fields.put("files", files);
        fields.put("diff", change.diff());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Precheck f : findings) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("level", f.level().word());
            item.put("check", f.check());
            item.put("subject", f.subject());
            item.put("message", f.message());
            if (f.remedy() != null) {
                item.put("remedy", f.remedy());
            }
            list.add(item);
        }
        fields.put("findings", list);
        return fields;
    }

    static List<String> lines(ConfigChange change, List<Precheck> blockers, List<DaemonConfig.Applied> applied,
            boolean dryRun) {
        List<String> lines = new ArrayList<>();
        if (change.isEmpty()) {
            lines.add("nothing to change: dockerd is already configured for " + change.after().describe());
        } else {
            lines.addAll(change.diff().lines().toList());
        }
        if (!blockers.isEmpty()) {
            lines.add("refused by " + blockers.size() + " precheck" + (blockers.size() == 1 ? "" : "s")
                    + " (see above); nothing was changed");
            return lines;
        }
        if (dryRun) {
            lines.add("dry run: nothing was changed");
            return lines;
        }
        for (DaemonConfig.Applied a : applied) {
            a.backup().ifPresent(b -> lines.add("backed up " + a.path() + " to " + b));
            lines.add((a.written() ? "wrote " : "already up to date: ") + a.path());
        }
        if (!change.isEmpty()) {
            lines.add("dockerd uses " + change.after().describe() + " from its next start (systemctl restart docker)");
            if (!change.before().dataRootOrDefault().equals(change.after().dataRootOrDefault())) {
                lines.add("nothing was moved: images, containers and volumes stay in " + change.before().dataRootOrDefault()
                        + " (stowage storage export before the restart, import after it)");
            }
        }
        return lines;
    }
}
