package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * xfs_info output recorded with xfsprogs 6.1: ftype=1 from a mounted V5 filesystem, ftype=0 from
 * a V4 image (mkfs.xfs -m crc=0 -n ftype=0), which this kernel refuses to mount ("Deprecated V4
 * format (crc=0) not supported by kernel"), so its detection can only be tested on recorded output.
 */
class XfsInfoTest {
    @Test
    void aFilesystemMadeWithFtypeOneSupportsDType() {
        XfsInfo info = XfsInfo.parse(Recorded.text("xfs_info-ftype1.txt"));

        assertEquals(Optional.of(1), info.ftype());
        assertEquals(Optional.of(1), info.crc());
        assertTrue(info.supportsDType());
    }

    @Test
    void aV4FilesystemWithFtypeZeroDoesNot() {
        XfsInfo info = XfsInfo.parse(Recorded.text("xfs_info-ftype0.txt"));

        assertEquals(Optional.of(0), info.ftype());
        assertEquals(Optional.of(0), info.crc());
        assertFalse(info.supportsDType());
    }

    /** xfsprogs before 3.2 (RHEL 7.0 and 7.1) printed no ftype field: those filesystems have none. */
    @Test
    void outputWithoutAnFtypeFieldMeansNoFtype() {
        String old = Recorded.text("xfs_info-ftype0.txt").replace(", ftype=0", "");

        assertEquals(Optional.of(0), XfsInfo.parse(old).ftype());
        assertFalse(XfsInfo.parse(old).supportsDType());
    }

    @Test
    void textThatIsNotXfsInfoOutputSaysNothing() {
        XfsInfo info = XfsInfo.parse("xfs_info: /mnt is not a mounted XFS filesystem\n");

        assertEquals(Optional.empty(), info.ftype());
    }
}
