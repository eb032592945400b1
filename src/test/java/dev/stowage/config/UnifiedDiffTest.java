package dev.stowage.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
    @Test
    void aChangedLineWithThreeLinesOfContext() {
        String before = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"d\": 4,\n  \"e\": 5,\n  \"f\": 6\n}\n";
        String after = before.replace("\"d\": 4", "\"d\": 40");

        assertEquals("--- f\n+++ f\n@@ -2,7 +2,7 @@\n   \"a\": 1,\n   \"b\": 2,\n   \"c\": 3,\n-  \"d\": 4,\n"
                + "+  \"d\": 40,\n   \"e\": 5,\n   \"f\": 6\n }\n", UnifiedDiff.of("f", before, after));
    }

    @Test
    void farApartChangesMakeTwoHunks() {
        StringBuilder before = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            before.append("line ").append(i).append('\n');
        }
        String after = before.toString().replace("line 2\n", "line two\n").replace("line 19\n", "");

        assertEquals("--- f\n+++ f\n@@ -1,5 +1,5 @@\n line 1\n-line 2\n+line two\n line 3\n line 4\n line 5\n"
                + "@@ -16,5 +16,4 @@\n line 16\n line 17\n line 18\n-line 19\n line 20\n",
                UnifiedDiff.of("f", before.toString(), after));
    }

    @Test
    void aNewFileIsAddedFromDevNull() {
        assertEquals("--- /dev/null\n+++ /etc/docker/daemon.json\n@@ -0,0 +1,3 @@\n+{\n+  \"x\": 1\n+}\n",
                UnifiedDiff.of("/etc/docker/daemon.json", null, "{\n  \"x\": 1\n}\n"));
    }

    @Test
    void equalTextsHaveNoDiff() {
        assertEquals("", UnifiedDiff.of("f", "a\n", "a\n"));
    }
}
