package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.Precheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target checks that need no mount: the data-root's place and contents, drivers judged by the
 * filesystem type, and storage options. On this host's real mount table; the fstab is a test file.
 */
class StorageTargetCheckTest {
    @TempDir
    Path dir;

    @Test
    void vfsIsAcceptedAnywhereAndTheFilesystemIsNamed() {
        List<Precheck> findings = check().validate("vfs", dir.resolve("docker"), List.of());

        assertFalse(findings.stream().anyMatch(Precheck::blocks), findings.toString());
        Precheck place = find(findings, "data_root_fs");
        assertTrue(place.message().contains("does not exist yet; dockerd will create it in " + real(dir)), place.message());
        assertTrue(place.message().contains("mounted at "), place.message());
    }

    @Test
    void anEmptyDirectoryOrMountPointIsFineAndAPreviousDockerRootIsAWarning() throws IOException {
        Files.createDirectories(dir.resolve("lost+found"));
        assertEquals(Precheck.Level.OK, find(check().validate("vfs", dir, List.of()), "data_root_contents").level());

        Files.createDirectories(dir.resolve("image/overlay2"));
        Files.createDirectories(dir.resolve("containers"));
        Precheck docker = find(check().validate("vfs", dir, List.of()), "data_root_contents");
        assertEquals(Precheck.Level.WARNING, docker.level());
        assertTrue(docker.message().contains("already holds a Docker data-root (containers, image)"), docker.message());
    }

    @Test
    void aDirectoryWithOtherDataOrAFileIsRefused() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Precheck busy = find(check().validate("vfs", dir, List.of()), "data_root_contents");
        assertTrue(busy.blocks());
        assertTrue(busy.remedy().contains(dir.resolve("docker").toString()), busy.remedy());

        Precheck file = find(check().validate("vfs", dir.resolve("notes.txt"), List.of()), "data_root");
        assertTrue(file.blocks());
        assertTrue(file.message().contains("is not a directory"), file.message());

        assertTrue(find(check().validate("vfs", Path.of("relative/docker"), List.of()), "data_root").blocks());
    }

    @Test
    void aDiskInFstabThatIsNotMountedIsRefused() throws IOException {
        Path fstab = dir.resolve("fstab");
        Path meant = dir.resolve("mnt/newdisk");
        Files.createDirectories(meant);
        Files.writeString(fstab, "# <file system> <mount point> <type> <options> <dump> <pass>\n"
                + "UUID=1234 / ext4 errors=remount-ro 0 1\n"
                + "/dev/vdb1 " + meant + " xfs defaults 0 2\n"
                + "/dev/vdc1 " + dir.resolve("mnt/other") + " xfs noauto 0 2\n");
        StorageTargetCheck check = new StorageTargetCheck(Path.of("/proc/self/mountinfo"), fstab, Path.of("/sys"),
                Path.of("/proc/filesystems"));

        Precheck blocker = check.validate("vfs", meant.resolve("docker"), List.of()).stream()
                .filter(Precheck::blocks).findFirst().orElseThrow();
        assertTrue(blocker.message().startsWith(meant + " is a mount point in " + fstab + " but nothing is mounted"),
                blocker.message());
        assertFalse(check.validate("vfs", dir.resolve("mnt/other/docker"), List.of()).stream().anyMatch(Precheck::blocks),
                "a noauto entry is not expected to be mounted");
    }

    @Test
    void btrfsAndZfsNeedTheirOwnFilesystem() {
        String fs = MountTable.read(Path.of("/proc/self/mountinfo")).find(real(dir)).orElseThrow().fsType();
        Precheck btrfs = find(check().validate("btrfs", dir, List.of()), "backing_fs");

        assertEquals(fs.equals("btrfs"), !btrfs.blocks(), btrfs.toString());
        assertTrue(btrfs.blocks() && btrfs.message().contains("wrong filesystem") || fs.equals("btrfs"), btrfs.message());
    }

    @Test
    void unknownDriversAreWarnedAboutNotRefused() {
        Precheck driver = find(check().validate("devicemapper", dir, List.of()), "driver");
        assertEquals(Precheck.Level.WARNING, driver.level());
        assertEquals(Precheck.Level.WARNING, find(check().validate("overlay3", dir, List.of()), "driver").level());
    }

    @Test
    void optionsOfAnotherDriverAndOverlaySizeWithoutQuotasAreRefused() {
        MountEntry ext4 = mount("ext4", "rw,relatime");
        MountEntry xfsQuota = mount("xfs", "rw,attr2,inode64,logbufs=8,logbsize=32k,prjquota");

        List<Precheck> leftovers = StorageOptionRules.assess("overlay2", List.of("dm.basesize=20G", "overlay2.size=10G"), ext4);
        assertEquals(2, leftovers.size(), leftovers.toString());
        assertTrue(leftovers.get(0).message().contains("\"overlay2: unknown option dm.basesize\""), leftovers.get(0).message());
        assertTrue(leftovers.get(0).remedy().contains("--clear-storage-opts"));
        assertTrue(leftovers.get(1).message().contains("project quotas"), leftovers.get(1).message());
        assertEquals(List.of(), StorageOptionRules.assess("overlay2", List.of("overlay2.size=10G"), xfsQuota));
        assertEquals(List.of(), StorageOptionRules.assess("devicemapper", List.of("dm.basesize=20G"), ext4));
    }

    private static MountEntry mount(String type, String superOptions) {
        return MountTable.parse("30 1 8:1 / /srv rw,relatime shared:1 - " + type + " /dev/sdb1 " + superOptions + "\n")
                .entries().get(0);
    }

    private StorageTargetCheck check() {
        return new StorageTargetCheck(Path.of("/proc/self/mountinfo"), dir.resolve("no-fstab"), Path.of("/sys"),
                Path.of("/proc/filesystems"));
    }

    private static Precheck find(List<Precheck> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " in " + findings));
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
