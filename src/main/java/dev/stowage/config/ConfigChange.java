package dev.stowage.config;

import dev.stowage.model.Precheck;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A planned change of dockerd's configuration: the files to rewrite, what was found on the way,
 * and the storage settings before and after. Made by {@link DaemonConfig#plan}, carried out by
 * {@link DaemonConfig#apply}.
 */
public record ConfigChange(List<FileEdit> edits, List<Precheck> findings, StorageSettings before,
        StorageSettings after) {
    public ConfigChange {
        edits = List.copyOf(edits);
        findings = List.copyOf(findings);
    }

    /** Whether a finding refuses the change: dockerd would not start with it. */
    public boolean blocked() {
        return findings.stream().anyMatch(Precheck::blocks);
    }

    public List<Precheck> blockers() {
        return findings.stream().filter(Precheck::blocks).toList();
    }

    /** Whether the files already say what was asked: applying changes nothing. */
    public boolean isEmpty() {
        return edits.isEmpty();
    }

    /** The unified diff of every file, old to new; "" when there is nothing to change. */
    public String diff() {
        return edits.stream().map(FileEdit::diff).collect(Collectors.joining());
    }
}
