package dev.stowage.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpacePlanTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final Filesystem ROOT = new Filesystem("254:1", "/", 100 * GIB, 500 * GIB, 1_000_000, 30_000_000);
    static final Filesystem SMALL = new Filesystem("7:3", "/mnt/small", 100 * MIB, 128 * MIB, 30_000, 32_768);

    @Test
    void marginIsTwoPercentOfTheNeedPlusFivePercentOfTheFilesystemCappedAt256MiB() {
        FilesystemBudget big = budget(ROOT, SpaceNeed.lasting("blobs", 1, 10 * GIB, 1, "/m", ROOT));
        assertEquals(10 * GIB / 50 + 256 * MIB, big.marginBytes());
        FilesystemBudget small = budget(SMALL, SpaceNeed.lasting("blobs", 1, 50 * MIB, 1, "/m", SMALL));
        assertEquals(50 * MIB / 50 + 128 * MIB / 20, small.marginBytes());
    }

    @Test
    void fitsOnlyWhenNeedPlusMarginIsFree() {
        long need = 80 * MIB;
        long margin = need / 50 + 128 * MIB / 20;
        Filesystem exact = new Filesystem("7:3", "/mnt/small", need + margin, 128 * MIB, 0, 0);
        assertTrue(budget(exact, SpaceNeed.lasting("x", 1, need, 1, "/m", exact)).fits());
        Filesystem short1 = new Filesystem("7:3", "/mnt/small", need + margin - 1, 128 * MIB, 0, 0);
        FilesystemBudget tight = budget(short1, SpaceNeed.lasting("x", 1, need, 1, "/m", short1));
        assertFalse(tight.fits());
        assertEquals("NO SPACE", tight.verdict());
    }

    @Test
    void nothingToWriteFitsEvenAFullFilesystem() {
        Filesystem full = new Filesystem("7:3", "/full", 0, 128 * MIB, 0, 100);
        assertTrue(budget(full, SpaceNeed.lasting("x", 0, 0, 0, "/m", full)).fits());
    }

    @Test
    void pathsOnOneFilesystemAddUp() {
        SpacePlan plan = new SpacePlan("export", List.of(
                SpaceNeed.lasting("image blobs", 3, 60 * MIB, 3, "/srv/migrate", SMALL),
                SpaceNeed.lasting("volume files", 2, 35 * MIB, 10, "/srv/docker", SMALL)));
        assertEquals(1, plan.budgets().size());
        assertEquals(95 * MIB, plan.budgets().get(0).neededBytes());
        assertFalse(plan.fits(), "60 and 35 MiB each fit alone in 100 MiB, but not together with the margin");
        assertEquals(60 * MIB, plan.bytesInto("/srv/migrate"));
    }

    @Test
    void onlyTheLargestStagingCountsOnTopOfWhatStays() {
        FilesystemBudget budget = budget(ROOT,
                SpaceNeed.lasting("volumes", 1, 5 * GIB, 100, "/d", ROOT),
                SpaceNeed.staging("save", 1, 3 * GIB, 30, "/d/tmp", ROOT),
                SpaceNeed.staging("load", 1, 4 * GIB, 40, "/d/tmp", ROOT));
        assertEquals(9 * GIB, budget.neededBytes());
        assertEquals(140, budget.neededInodes());
    }

    @Test
    void inodesCanRunOutBeforeBytes() {
        FilesystemBudget budget = budget(SMALL, SpaceNeed.lasting("volume files", 1, MIB, 29_000, "/d", SMALL));
        assertTrue(budget.bytesFit());
        assertFalse(budget.inodesFit());
        assertEquals("NO INODES", budget.verdict());
        Filesystem btrfs = new Filesystem("0:40", "/b", 100 * MIB, 128 * MIB, 0, 0);
        assertTrue(budget(btrfs, SpaceNeed.lasting("volume files", 1, MIB, 29_000, "/d", btrfs)).fits(),
                "no inode counts: nothing to check");
    }

    @Test
    void shortfallsNameTheFilesystemThatDoesNotFit() {
        SpacePlan plan = new SpacePlan("export", List.of(
                SpaceNeed.lasting("image blobs", 3, 200 * MIB, 3, "/mnt/small/m", SMALL),
                SpaceNeed.staging("daemon's save", 3, 200 * MIB, 9, "/var/lib/docker/tmp", ROOT)));
        assertEquals(List.of(SMALL), plan.shortfalls().stream().map(FilesystemBudget::filesystem).toList());
        assertTrue(plan.shortfalls().get(0).describe().startsWith("/mnt/small needs 200.0 MiB (+10.4 MiB margin),"
                + " 100.0 MiB free"), plan.shortfalls().get(0).describe());
        assertEquals(SMALL, plan.budgetOf("/mnt/small/m").orElseThrow().filesystem());
    }

    @Test
    void tableAlignsColumnsAndEndsEachFilesystemWithItsTotal() {
        SpacePlan plan = new SpacePlan("export", List.of(
                SpaceNeed.lasting("image blobs", 12, 300 * MIB, 12, "/mnt/small/m", SMALL),
                SpaceNeed.lasting("volume archives, zstd", 2, 3 * MIB, 2, "/mnt/small/m", SMALL),
                SpaceNeed.staging("daemon's save", 5, 310 * MIB, 15, "/var/lib/docker/tmp", ROOT)));
        List<String> lines = SpaceTable.lines(plan);
        assertEquals(6, lines.size(), String.join("\n", lines));
        int where = lines.get(0).indexOf("WHERE");
        for (String line : lines.subList(1, 3)) {
            assertEquals("/mnt/small/m", line.substring(where, where + 12), line);
        }
        assertTrue(lines.get(3).startsWith("total (+12.5 MiB margin)"), lines.get(3));
        assertTrue(lines.get(3).endsWith("NO SPACE"), lines.get(3));
        assertTrue(lines.get(4).startsWith("daemon's save (staging)"), lines.get(4));
        assertTrue(lines.get(5).endsWith("fits"), lines.get(5));
        int size = lines.get(0).indexOf("SIZE") + "SIZE".length();
        assertEquals("300.0 MiB", lines.get(1).substring(size - "300.0 MiB".length(), size), "sizes are right-aligned");
    }

    @Test
    void jsonRowsCarryTheFiguresAndTheVerdict() {
        SpacePlan plan = new SpacePlan("import", List.of(SpaceNeed.lasting("volume files", 2, 3 * MIB, 40,
                "/var/lib/docker", ROOT)));
        Map<String, Object> row = SpaceTable.rows(plan).get(0);
        assertEquals("volume files", row.get("what"));
        assertEquals(3 * MIB, row.get("bytes"));
        assertEquals(40L, row.get("inodes"));
        assertEquals("/", row.get("mount_point"));
        assertEquals(ROOT.freeBytes(), row.get("free_bytes"));
        assertEquals("fits", row.get("verdict"));
        Map<String, Object> total = SpaceTable.totals(plan).get(0);
        assertEquals(3 * MIB, total.get("needed_bytes"));
        assertEquals(true, total.get("fits"));
    }

    private static FilesystemBudget budget(Filesystem fs, SpaceNeed... needs) {
        return new FilesystemBudget(fs, List.of(needs));
    }
}
