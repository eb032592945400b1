package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountTableTest {
    private final MountTable table = MountTable.parse(Recorded.text("mountinfo.txt"));

    @Test
    void findsTheRootFilesystemAndItsDevice() {
        MountEntry root = table.find(Path.of("/var/lib/docker")).orElseThrow();
        assertEquals(Path.of("/"), root.mountPoint());
        assertEquals("ext4", root.fsType());
        assertEquals("254:0", root.deviceId());
        assertEquals("/dev/vda", root.source());
        assertFalse(root.readOnly());
    }

    @Test
    void picksTheLongestMountPointThatHoldsThePath() {
        MountEntry inner = table.find(Path.of("/tmp/probe-exp/inner/some/file")).orElseThrow();
        assertEquals(Path.of("/tmp/probe-exp/inner"), inner.mountPoint());
        assertEquals("7:1", inner.deviceId());
        // a sibling whose name merely starts the same is not inside the mount
        assertEquals(Path.of("/"), table.find(Path.of("/tmp/probe-exp/innerx")).orElseThrow().mountPoint());
    }

    @Test
    void unescapesOctalSpacesInMountPoints() {
        MountEntry data = table.find(Path.of("/srv/docker data/volumes")).orElseThrow();
        assertEquals(Path.of("/srv/docker data"), data.mountPoint());
        assertEquals("tmpfs", data.fsType());
        assertEquals(0, data.major());
        assertEquals("a\\b c", MountTable.unescape("a\\134b\\040c"));
        assertEquals("trailing\\04", MountTable.unescape("trailing\\04"));
    }

    @Test
    void seesReadOnlyMounts() {
        MountEntry ro = table.find(Path.of("/mnt/ro/x")).orElseThrow();
        assertTrue(ro.readOnly());
        assertEquals("xfs", ro.fsType());
        assertTrue(ro.superOptions().contains("inode64"));
    }

    @Test
    void theLastOfStackedMountsHidesTheOthers() {
        MountTable stacked = MountTable.parse(
                "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                + "40 27 7:0 / /data rw - ext4 /dev/loop0 rw\n"
                + "41 27 7:1 / /data rw shared:5 master:3 - xfs /dev/loop1 rw\n"
                + "this line is not mountinfo\n");
        assertEquals(3, stacked.entries().size());
        assertEquals("7:1", stacked.find(Path.of("/data/x")).orElseThrow().deviceId());
    }
}
