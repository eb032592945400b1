package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.Precheck;
import dev.stowage.testing.LoopFilesystem;
import dev.stowage.testing.Mounts;
import dev.stowage.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StorageTargetCheck} on real filesystems made on loop devices: the overlay mount probe, the
 * d_type readdir, xfs_info, and the backing filesystem rules, each where it must pass and where it
 * must refuse.
 */
class TargetCheckIT {
    private Path work;

    @BeforeEach
    void workDir() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "stowage-target-it-");
    }

    @AfterEach
    void cleanUp() {
        Mounts.unmountUnder(work);
        Shell.quietly("rm", "-rf", "--one-file-system", work.toString());
    }

    @Test
    void overlay2IsAcceptedOnXfsWithFtype1() {
        try (LoopFilesystem xfs = LoopFilesystem.xfs(work.resolve("xfs"), 320)) {
            Path dataRoot = xfs.mountPoint().resolve("docker");
            List<Precheck> findings = StorageTargetCheck.host().validate("overlay2", dataRoot, List.of());

            assertNoBlockers(findings);
            assertTrue(find(findings, "xfs_ftype").message().contains("ftype=1"), findings.toString());
            assertEquals(Precheck.Level.OK, find(findings, "d_type").level());
            assertEquals(Precheck.Level.OK, find(findings, "overlay_mount").level());
            Precheck place = find(findings, "data_root_fs");
            assertTrue(place.message().contains("is on xfs on " + xfs.device().substring("/dev/".length())), place.message());
            assertTrue(place.message().contains("mounted at " + xfs.mountPoint()), place.message());
            assertNothingLeftBehind(xfs.mountPoint());
        }
    }

    @Test
    void overlay2IsAcceptedOnExt4() {
        try (LoopFilesystem ext4 = LoopFilesystem.ext4(work.resolve("ext4"), 64)) {
            List<Precheck> findings = StorageTargetCheck.host().validate("overlay2", ext4.mountPoint(), List.of());

            assertNoBlockers(findings);
            assertEquals(Precheck.Level.OK, find(findings, "overlay_mount").level());
            assertEquals(ext4.mountPoint() + " is empty", find(findings, "data_root_contents").message(),
                    "lost+found does not count");
            assertNothingLeftBehind(ext4.mountPoint());
        }
    }

    /** dockerd itself fails here with "driver not supported"; the kernel refuses overlayfs as an upper layer. */
    @Test
    void overlay2IsRefusedOnADataRootBackedByOverlayfs() throws IOException {
        Path overlay = work.resolve("merged");
        for (String d : List.of("lower", "upper", "work", "merged")) {
            Files.createDirectories(work.resolve(d));
        }
        Shell.run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + work.resolve("lower") + ",upperdir="
                + work.resolve("upper") + ",workdir=" + work.resolve("work"), overlay.toString());

        List<Precheck> findings = StorageTargetCheck.host().validate("overlay2", overlay.resolve("docker"), List.of());

        Precheck backing = find(findings, "backing_fs");
        assertTrue(backing.blocks());
        assertTrue(backing.message().startsWith("overlay2 cannot keep its layers on overlay: " + overlay + " is on overlay"),
                backing.message());
        assertTrue(backing.message().contains("driver not supported"), backing.message());
        Precheck mount = find(findings, "overlay_mount");
        assertTrue(mount.blocks(), "the real mount fails too: " + mount);
        assertTrue(mount.message().startsWith("mount -t overlay failed: Invalid argument"), mount.message());
        assertNothingLeftBehind(overlay);
    }

    @Test
    void btrfsIsAcceptedOnBtrfsAndRefusedOnExt4() {
        try (LoopFilesystem btrfs = LoopFilesystem.btrfs(work.resolve("btrfs"), 160);
                LoopFilesystem ext4 = LoopFilesystem.ext4(work.resolve("ext4"), 64)) {
            List<Precheck> onBtrfs = StorageTargetCheck.host().validate("btrfs", btrfs.mountPoint().resolve("docker"),
                    List.of("btrfs.min_space=10G"));
            assertNoBlockers(onBtrfs);
            assertEquals(Precheck.Level.OK, find(onBtrfs, "backing_fs").level());

            List<Precheck> onExt4 = StorageTargetCheck.host().validate("btrfs", ext4.mountPoint().resolve("docker"),
                    List.of());
            Precheck refused = find(onExt4, "backing_fs");
            assertTrue(refused.blocks());
            assertTrue(refused.message().contains("needs the data-root on a btrfs filesystem; " + ext4.mountPoint()
                    + " is on ext4"), refused.message());
        }
    }

    /**
     * A V4 XFS (ftype=0) image: xfs_info reads it from the file, and this kernel will not mount it,
     * which is why the ftype=0 branch of the check is unit-tested on recorded output.
     */
    @Test
    void xfsInfoReadsFtype0FromAnImageThatThisKernelCannotMount() throws IOException {
        Path image = work.resolve("v4.img");
        Shell.run("truncate", "-s", "300M", image.toString());
        Shell.run("mkfs.xfs", "-q", "-f", "-m", "crc=0", "-n", "ftype=0", image.toString());

        Optional<XfsInfo> info = XfsInfo.of(image);
        assertEquals(Optional.of(0), info.orElseThrow().ftype());
        assertFalse(info.get().supportsDType());

        Files.createDirectories(work.resolve("v4"));
        Shell.Result mount = Shell.run(Map.of(), List.of("mount", "-o", "loop,ro", image.toString(),
                work.resolve("v4").toString()), null, 60);
        assertNotEquals(0, mount.exitCode(), "if this kernel mounts V4 XFS again, test ftype=0 for real: " + mount);
    }

    private static void assertNoBlockers(List<Precheck> findings) {
        assertFalse(findings.stream().anyMatch(Precheck::blocks), findings.toString());
    }

    /** The probe's scratch directory and its overlay mount are gone. */
    private static void assertNothingLeftBehind(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(), entries.filter(p -> p.getFileName().toString().startsWith(".stowage")).toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertTrue(Mounts.under(dir).stream().allMatch(p -> p.equals(dir)), Mounts.under(dir).toString());
    }

    private static Precheck find(List<Precheck> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " in " + findings));
    }
}
