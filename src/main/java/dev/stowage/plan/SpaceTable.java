package dev.stowage.plan;

import dev.stowage.model.ByteSize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link SpacePlan} as a table for a human (aligned columns: what, how many, how big, where,
 * free, verdict; a total line per filesystem) and as rows for JSON (snake_case keys; add, never
 * rename). Pure functions: the caller decides where they go.
 */
public final class SpaceTable {
    private static final String[] HEADER = {"WHAT", "COUNT", "SIZE", "INODES", "WHERE", "FILESYSTEM", "FREE",
        "VERDICT"};

    private SpaceTable() {
    }

    public static List<String> lines(SpacePlan plan) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (FilesystemBudget budget : plan.budgets()) {
            Filesystem fs = budget.filesystem();
            for (SpaceNeed need : budget.needs()) {
                rows.add(new String[] {need.what() + (need.staging() ? " (staging)" : ""), Long.toString(need.count()),
                    ByteSize.of(need.bytes()).human(), inodes(fs, need.inodes()), need.path(), fs.mountPoint(), "", ""});
            }
            rows.add(new String[] {"total (+" + ByteSize.of(budget.marginBytes()).human() + " margin)", "",
                ByteSize.of(budget.neededBytes()).human(), inodes(fs, budget.neededInodes()), "", fs.mountPoint(),
                ByteSize.of(fs.freeBytes()).human() + (fs.countsInodes() ? ", " + count(fs.freeInodes()) + " inodes"
                        : ""), budget.verdict()});
        }
        return align(rows);
    }

    public static List<Map<String, Object>> rows(SpacePlan plan) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FilesystemBudget budget : plan.budgets()) {
            for (SpaceNeed need : budget.needs()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("what", need.what());
                row.put("count", need.count());
                row.put("bytes", need.bytes());
                row.put("inodes", need.inodes());
                row.put("staging", need.staging());
                row.put("path", need.path());
                putFilesystem(row, budget);
                rows.add(row);
            }
        }
        return rows;
    }

    /** Per filesystem: what it needs in all, its margin, what is free, and the verdict. */
    public static List<Map<String, Object>> totals(SpacePlan plan) {
        List<Map<String, Object>> totals = new ArrayList<>();
        for (FilesystemBudget budget : plan.budgets()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("needed_bytes", budget.neededBytes());
            row.put("margin_bytes", budget.marginBytes());
            row.put("needed_inodes", budget.neededInodes());
            row.put("margin_inodes", budget.marginInodes());
            putFilesystem(row, budget);
            totals.add(row);
        }
        return totals;
    }

    private static void putFilesystem(Map<String, Object> row, FilesystemBudget budget) {
        Filesystem fs = budget.filesystem();
        row.put("mount_point", fs.mountPoint());
        row.put("device", fs.device());
        row.put("free_bytes", fs.freeBytes());
        row.put("free_inodes", fs.countsInodes() ? fs.freeInodes() : null);
        row.put("verdict", budget.verdict());
        row.put("fits", budget.fits());
    }

    private static String inodes(Filesystem fs, long inodes) {
        return fs.countsInodes() && inodes > 0 ? count(inodes) : "-";
    }

    static String count(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        return n < 10_000_000 ? String.format(Locale.ROOT, "%.0fk", n / 1e3) : String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }

    /** Left-aligned text, right-aligned numbers, two spaces between columns, no trailing blanks. */
    static List<String> align(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                boolean numeric = c == 1 || c == 2 || c == 3;
                String cell = row[c];
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(numeric ? pad + cell : cell + pad);
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
