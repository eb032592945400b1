package dev.stowage.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run will write, per filesystem, and whether it fits. Paths on the same filesystem (a
 * migration directory next to the data-root, say) share one budget, so their needs add up.
 */
public record SpacePlan(String operation, List<SpaceNeed> needs) {
    public SpacePlan {
        needs = List.copyOf(needs);
    }

    /** One budget per filesystem, in the order the needs first name them. */
    public List<FilesystemBudget> budgets() {
        Map<String, List<SpaceNeed>> byDevice = new LinkedHashMap<>();
        Map<String, Filesystem> filesystems = new LinkedHashMap<>();
        for (SpaceNeed need : needs) {
            byDevice.computeIfAbsent(need.filesystem().device(), d -> new ArrayList<>()).add(need);
            filesystems.putIfAbsent(need.filesystem().device(), need.filesystem());
        }
        List<FilesystemBudget> budgets = new ArrayList<>();
        byDevice.forEach((device, list) -> budgets.add(new FilesystemBudget(filesystems.get(device), list)));
        return budgets;
    }

    public boolean fits() {
        return budgets().stream().allMatch(FilesystemBudget::fits);
    }

    /** The budgets that do not fit. */
    public List<FilesystemBudget> shortfalls() {
        return budgets().stream().filter(b -> !b.fits()).toList();
    }

    /** The bytes to write into {@code path}, staging excluded: e.g. the export's size in the migration dir. */
    public long bytesInto(String path) {
        return needs.stream().filter(n -> !n.staging() && n.path().equals(path)).mapToLong(SpaceNeed::bytes).sum();
    }

    /** The budget of the filesystem holding {@code path}, if the plan writes there. */
    public java.util.Optional<FilesystemBudget> budgetOf(String path) {
        return needs.stream().filter(n -> n.path().equals(path)).findFirst()
                .flatMap(n -> budgets().stream().filter(b -> b.filesystem().equals(n.filesystem())).findFirst());
    }
}
