package dev.stowage.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The error counter a filesystem keeps in its superblock, where the kernel exposes one: ext4's
 * {@code /sys/fs/ext4/DEV/errors_count} (kept until fsck clears it). XFS publishes no such counter;
 * it shuts down instead, which shows as IO errors and a read-only mount.
 *
 * @param count errors recorded since the last fsck
 * @param firstErrorFunction where the first error was detected, if the kernel says
 */
public record FilesystemErrors(long count, String firstErrorFunction) {

    public static Optional<FilesystemErrors> of(MountEntry mount, BlockDevice device, Path sysRoot) {
        if (device == null || !(mount.fsType().equals("ext4") || mount.fsType().equals("ext3")
                || mount.fsType().equals("ext2"))) {
            return Optional.empty();
        }
        Path dir = sysRoot.resolve("fs/ext4").resolve(device.partition());
        try {
            long count = Long.parseLong(Files.readString(dir.resolve("errors_count")).trim());
            String function = "";
            Path first = dir.resolve("first_error_func");
            if (Files.exists(first)) {
                function = Files.readString(first).trim();
            }
            return Optional.of(new FilesystemErrors(count, function));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
