package dev.stowage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scripts depend on these numbers; they are the table in STYLE.md and may only grow. */
class ExitCodeTest {
    @Test
    void numbersMatchTheDocumentedTable() {
        Map<ExitCode, Integer> documented = new LinkedHashMap<>();
        documented.put(ExitCode.OK, 0);
        documented.put(ExitCode.INTERNAL, 1);
        documented.put(ExitCode.USAGE, 2);
        documented.put(ExitCode.PRECHECK, 3);
        documented.put(ExitCode.NO_SPACE, 4);
        documented.put(ExitCode.DAEMON, 5);
        documented.put(ExitCode.VERIFY, 6);
        documented.put(ExitCode.LOCKED, 7);
        documented.put(ExitCode.JOURNAL, 8);
        documented.put(ExitCode.DISK_DEGRADED, 10);
        documented.put(ExitCode.DISK_STALLED, 11);
        documented.put(ExitCode.INTERRUPTED, 130);

        for (Map.Entry<ExitCode, Integer> entry : documented.entrySet()) {
            assertEquals(entry.getValue(), entry.getKey().code(), entry.getKey().name());
        }
        assertEquals(documented.size(), ExitCode.values().length, "a new exit code must be added to STYLE.md too");
    }

    @Test
    void numbersAreUnique() {
        assertEquals(ExitCode.values().length, Arrays.stream(ExitCode.values()).mapToInt(ExitCode::code).distinct().count());
    }

    @Test
    void everyCodeIsExplained() {
        for (ExitCode code : ExitCode.values()) {
            assertFalse(code.meaning().isBlank(), code.name());
        }
    }
}
