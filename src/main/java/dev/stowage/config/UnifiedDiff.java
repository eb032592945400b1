package dev.stowage.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff ({@code diff -u} style) between two small texts, line by line, with three lines
 * of context. Config files are a few hundred lines at most, so a plain longest-common-subsequence
 * table is fast enough and always gives the minimal diff.
 */
final class UnifiedDiff {
    private static final int CONTEXT = 3;
    /** Beyond this many table cells, the whole file is shown as replaced rather than diffed. */
    private static final long MAX_CELLS = 4_000_000L;

    private UnifiedDiff() {
    }

    /** One line of the edit script: {@code ' '} kept, {@code '-'} removed, {@code '+'} added. */
    private record Line(char op, String text, int oldNo, int newNo) {
    }

    /**
     * The diff, or "" when the texts are equal.
     *
     * @param before null for a file that does not exist yet
     */
    static String of(String path, String before, String after) {
        if (after.equals(before)) {
            return "";
        }
        List<String> a = before == null ? List.of() : lines(before);
        List<String> b = lines(after);
        List<Line> script = script(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(before == null ? "/dev/null" : path).append('\n');
        out.append("+++ ").append(path).append('\n');
        int i = 0;
        while (i < script.size()) {
            if (script.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // extend the hunk while the next change is within two contexts of the last one
            while (end < script.size()) {
                int next = end;
                while (next < script.size() && script.get(next).op() == ' ') {
                    next++;
                }
                if (next == script.size() || next - end > 2 * CONTEXT) {
                    end = Math.min(script.size(), end + CONTEXT);
                    break;
                }
                end = next;
                while (end < script.size() && script.get(end).op() != ' ') {
                    end++;
                }
            }
            hunk(out, script.subList(start, end));
            i = end;
        }
        if (!after.isEmpty() && !after.endsWith("\n")) {
            out.append("\\ No newline at end of file\n");
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<Line> lines) {
        int oldStart = 0;
        int newStart = 0;
        int oldCount = 0;
        int newCount = 0;
        for (Line line : lines) {
            if (line.op() != '+') {
                oldStart = oldStart == 0 ? line.oldNo() : oldStart;
                oldCount++;
            }
            if (line.op() != '-') {
                newStart = newStart == 0 ? line.newNo() : newStart;
                newCount++;
            }
        }
        out.append("@@ -").append(range(oldStart, oldCount, lines, true)).append(" +")
                .append(range(newStart, newCount, lines, false)).append(" @@\n");
        for (Line line : lines) {
            out.append(line.op()).append(line.text()).append('\n');
        }
    }

    /** {@code start,count}; an empty side names the line before it, as diff does. */
    private static String range(int start, int count, List<Line> lines, boolean old) {
        if (count == 0) {
            Line first = lines.get(0);
            int before = (old ? first.oldNo() : first.newNo()) - 1;
            return Math.max(0, before) + ",0";
        }
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }

    private static List<Line> script(List<String> a, List<String> b) {
        List<Line> script = new ArrayList<>();
        if ((long) a.size() * b.size() > MAX_CELLS) {
            for (int i = 0; i < a.size(); i++) {
                script.add(new Line('-', a.get(i), i + 1, 1));
            }
            for (int j = 0; j < b.size(); j++) {
                script.add(new Line('+', b.get(j), a.size() + 1, j + 1));
            }
            return script;
        }
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                script.add(new Line(' ', a.get(i), i + 1, j + 1));
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                script.add(new Line('-', a.get(i), i + 1, j + 1));
                i++;
            } else {
                script.add(new Line('+', b.get(j), i + 1, j + 1));
                j++;
            }
        }
        return script;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        if (text.isEmpty()) {
            lines.clear();
        }
        return lines;
    }
}
