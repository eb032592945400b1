package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution through a sysfs tree laid out as the kernel lays it out: links from dev/block into devices. */
class BlockDeviceTest {

    @Test
    void blockDevicesResolveThroughSysfsToTheirDisk(@TempDir Path sys) throws Exception {
        Path sda = Files.createDirectories(sys.resolve("devices/pci0/block/sda"));
        Files.writeString(sda.resolve("dev"), "8:0\n");
        Path sda1 = Files.createDirectories(sda.resolve("sda1"));
        Files.writeString(sda1.resolve("dev"), "8:1\n");
        Files.writeString(sda1.resolve("partition"), "1\n");
        Files.createDirectories(sys.resolve("dev/block"));
        Files.createSymbolicLink(sys.resolve("dev/block/8:1"), Path.of("../../devices/pci0/block/sda/sda1"));
        Files.createSymbolicLink(sys.resolve("dev/block/8:0"), Path.of("../../devices/pci0/block/sda"));
        MountEntry onPartition = new MountEntry(1, 0, 8, 1, "/", Path.of("/"), Set.of("rw"), "ext4", "/dev/sda1",
                Set.of("rw"));
        assertEquals(new BlockDevice("sda", "8:0", "sda1", "8:1"), BlockDevice.of(onPartition, sys).orElseThrow());
        MountEntry onDisk = new MountEntry(1, 0, 8, 0, "/", Path.of("/"), Set.of("rw"), "xfs", "/dev/sda",
                Set.of("rw"));
        assertEquals(new BlockDevice("sda", "8:0", "sda", "8:0"), BlockDevice.of(onDisk, sys).orElseThrow());
        MountEntry tmpfs = new MountEntry(1, 0, 0, 40, "/", Path.of("/tmp"), Set.of("rw"), "tmpfs", "tmpfs",
                Set.of("rw"));
        assertTrue(BlockDevice.of(tmpfs, sys).isEmpty());
    }
}
