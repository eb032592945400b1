package dev.stowage.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code xfs_info} says about an XFS filesystem that matters for Docker: {@code ftype}, the
 * flag that makes directory entries carry their file type (d_type). overlayfs needs it: on
 * {@code ftype=0} dockerd refuses overlay2 ("backing filesystem ... without d_type support").
 * Filesystems made by xfsprogs before 3.2 print no ftype and have none.
 *
 * @param ftype 1 or 0; empty when the output has no naming line at all (not xfs_info output)
 * @param crc 1 for a V5 filesystem; 0 for V4, which current kernels no longer mount
 */
public record XfsInfo(Optional<Integer> ftype, Optional<Integer> crc) {
    private static final Pattern FTYPE = Pattern.compile("\\bftype=(\\d)");
    private static final Pattern CRC = Pattern.compile("\\bcrc=(\\d)");
    private static final Pattern NAMING = Pattern.compile("(?m)^naming\\s*=");
    private static final long TIMEOUT_SECONDS = 20;

    /** Parses the text xfs_info prints. */
    public static XfsInfo parse(String output) {
        Optional<Integer> ftype = first(FTYPE, output);
        if (ftype.isEmpty() && NAMING.matcher(output).find()) {
            ftype = Optional.of(0); // xfsprogs < 3.2: no ftype field, and no ftype feature
        }
        return new XfsInfo(ftype, first(CRC, output));
    }

    private static Optional<Integer> first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /**
     * Runs {@code xfs_info} on a mount point; empty if it is not installed, fails or hangs (the
     * caller then relies on the readdir check alone).
     */
    public static Optional<XfsInfo> of(Path mountPoint) {
        Path output = null;
        try {
            output = Files.createTempFile("stowage-xfs_info", ".txt");
            Process process = new ProcessBuilder("xfs_info", mountPoint.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            XfsInfo info = parse(Files.readString(output, StandardCharsets.UTF_8));
            return process.exitValue() == 0 && info.ftype().isPresent() ? Optional.of(info) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temp file of a few lines is not worth failing the check for
                }
            }
        }
    }

    public boolean supportsDType() {
        return ftype.orElse(0) == 1;
    }
}
