package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilesystemRulesTest {
    private static final long GIB = 1L << 30;

    @Test
    void plentyOfSpaceAndInodesRaisesNothing() {
        assertEquals(List.of(), FilesystemRules.assess(Fixtures.loop1(),
                Optional.of(new SpaceUsage(100 * GIB, 40 * GIB, 1000, 900, false)), Optional.empty()));
    }

    @Test
    void lowSpaceIsDegradedAndNoSpaceIsStalled() {
        Finding low = FilesystemRules.assess(Fixtures.loop1(),
                Optional.of(new SpaceUsage(100 * GIB, 3 * GIB, 1000, 900, false)), Optional.empty()).get(0);
        assertEquals(Verdict.DEGRADED, low.level());
        assertEquals("space", low.signal());
        assertTrue(low.message().contains("3.0 GiB free of 100.0 GiB (3.0 %)"), low.message());
        Finding none = FilesystemRules.assess(Fixtures.loop1(),
                Optional.of(new SpaceUsage(100 * GIB, GIB / 2, 1000, 900, false)), Optional.empty()).get(0);
        assertEquals(Verdict.STALLED, none.level());
    }

    @Test
    void inodeExhaustionCountsWhereTheFilesystemHasInodes() {
        Finding inodes = FilesystemRules.assess(Fixtures.loop1(),
                Optional.of(new SpaceUsage(100 * GIB, 50 * GIB, 100_000, 12, false)), Optional.empty()).get(0);
        assertEquals("inodes", inodes.signal());
        assertEquals(Verdict.STALLED, inodes.level());
        // btrfs reports zero inodes: nothing to run out of
        assertEquals(List.of(), FilesystemRules.assess(Fixtures.loop1(),
                Optional.of(new SpaceUsage(100 * GIB, 50 * GIB, 0, 0, false)), Optional.empty()));
    }

    @Test
    void aReadOnlyMountIsStalled() {
        Target t = Fixtures.loop1();
        MountEntry m = t.mount();
        Target ro = new Target(t.paths(), t.probeDir(), new MountEntry(m.id(), m.parentId(), m.major(), m.minor(),
                m.root(), m.mountPoint(), Set.of("ro"), m.fsType(), m.source(), m.superOptions()), t.device());
        Finding f = FilesystemRules.assess(ro, Optional.empty(), Optional.empty()).get(0);
        assertEquals(Verdict.STALLED, f.level());
        assertEquals("mount", f.signal());
        assertEquals(Verdict.STALLED, FilesystemRules.assess(t,
                Optional.of(new SpaceUsage(GIB, GIB, 10, 10, true)), Optional.empty()).get(0).level(),
                "statvfs's ST_RDONLY counts as much as the mount option");
    }

    @Test
    void recordedErrorsAreDegraded() {
        Finding f = FilesystemRules.assess(Fixtures.loop1(), Optional.empty(),
                Optional.of(new FilesystemErrors(3, "ext4_journal_check_start"))).get(0);
        assertEquals(Verdict.DEGRADED, f.level());
        assertTrue(f.message().contains("3 errors") && f.message().contains("ext4_journal_check_start"));
        assertEquals(List.of(), FilesystemRules.assess(Fixtures.loop1(), Optional.empty(),
                Optional.of(new FilesystemErrors(0, ""))));
    }
}
