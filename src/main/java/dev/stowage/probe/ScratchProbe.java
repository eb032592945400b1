package dev.stowage.probe;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real checks in a scratch directory on the target filesystem, because only the kernel knows for
 * sure: whether readdir reports file types (d_type), and whether an overlay mount with its upper
 * layer there works and takes writes. The directory is hidden, made by this process only, and
 * removed (after unmounting) on {@link #close}, also when a check fails.
 */
final class ScratchProbe implements AutoCloseable {
    private final Path dir;
    private Path mounted;

    private ScratchProbe(Path dir) {
        this.dir = dir;
    }

    /** Makes the scratch directory inside {@code existingDir}. */
    static ScratchProbe create(Path existingDir) throws IOException {
        return new ScratchProbe(Files.createTempDirectory(existingDir, ".stowage-target-check-"));
    }

    Path dir() {
        return dir;
    }

    /** Whether readdir gives a type for a file and a directory made here (as dockerd's own check does). */
    boolean reportsDType() throws IOException {
        Path d = Files.createDirectories(dir.resolve("dtype"));
        Files.createFile(d.resolve("file"));
        Files.createDirectory(d.resolve("dir"));
        Map<String, Byte> types = new HashMap<>();
        Pointer stream = KernelCalls.C.opendir(d.toString());
        try {
            for (Pointer entry; (entry = KernelCalls.C.readdir64(stream)) != null; ) {
                String name = entry.getString(KernelCalls.DIRENT_NAME_OFFSET, StandardCharsets.UTF_8.name());
                types.put(name, entry.getByte(KernelCalls.DIRENT_TYPE_OFFSET));
            }
        } finally {
            KernelCalls.C.closedir(stream);
        }
        return types.getOrDefault("file", KernelCalls.DT_UNKNOWN) != KernelCalls.DT_UNKNOWN
                && types.getOrDefault("dir", KernelCalls.DT_UNKNOWN) != KernelCalls.DT_UNKNOWN;
    }

    /**
     * Mounts an overlay with lower, upper and work directories here, writes through it, checks the
     * write landed in the upper layer, and unmounts.
     *
     * @return null on success, else what failed (with the errno text)
     */
    String mountOverlay() throws IOException {
        Path root = Files.createDirectories(dir.resolve("overlay"));
        Path lower = Files.createDirectories(root.resolve("lower"));
        Path upper = Files.createDirectories(root.resolve("upper"));
        Path work = Files.createDirectories(root.resolve("work"));
        Path merged = Files.createDirectories(root.resolve("merged"));
        Files.writeString(lower.resolve("from-lower"), "lower\n");
        String options = "lowerdir=" + escape(lower) + ",upperdir=" + escape(upper) + ",workdir=" + escape(work);
        try {
            KernelCalls.C.mount("overlay", merged.toString(), "overlay", new NativeLong(0), options);
        } catch (LastErrorException e) {
            return "mount -t overlay failed: " + KernelCalls.C.strerror(e.getErrorCode());
        }
        mounted = merged;
        try {
            if (!Files.readString(merged.resolve("from-lower")).equals("lower\n")) {
                return "the overlay mount does not show its lower layer";
            }
            Files.writeString(merged.resolve("from-merged"), "upper\n");
            if (!Files.exists(upper.resolve("from-merged"))) {
                return "a write through the overlay mount did not reach its upper layer";
            }
            return null;
        } catch (IOException e) {
            return "the overlay mount does not take writes: " + e.getMessage();
        } finally {
            unmount();
        }
    }

    /** Overlay options separate with commas and lower layers with colons; the kernel takes backslash escapes. */
    private static String escape(Path path) {
        return path.toString().replace("\\", "\\\\").replace(",", "\\,").replace(":", "\\:");
    }

    private void unmount() {
        if (mounted == null) {
            return;
        }
        try {
            KernelCalls.C.umount2(mounted.toString(), 0);
        } catch (LastErrorException e) {
            try {
                KernelCalls.C.umount2(mounted.toString(), KernelCalls.MNT_DETACH);
            } catch (LastErrorException ignored) {
                // nothing else to try; close() then fails to delete the busy directory and says so
            }
        }
        mounted = null;
    }

    @Override
    public void close() throws IOException {
        unmount();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
