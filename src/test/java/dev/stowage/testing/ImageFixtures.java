package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Test images made locally, without a registry: a busybox base from {@code docker import}, and
 * images derived from it with {@code docker build} (no network), sharing its layer.
 */
public final class ImageFixtures {
    public static final String BASE = "stowage-test/busybox:base";
    /** Size of the random layer of {@link #BIG}: above 200 MB, and above the launcher's heap cap. */
    public static final long BIG_LAYER_BYTES = 210_000_000L;
    public static final String BIG = "stowage-test/big:latest";

    private static Path rootfsTar;

    private ImageFixtures() {
    }

    /** A busybox rootfs tar: the static binary plus relative applet links, built once per JVM. */
    public static synchronized Path busyboxRootfs() {
        if (rootfsTar != null) {
            return rootfsTar;
        }
        try {
            Path dir = Files.createTempDirectory("stowage-busybox");
            Path bin = Files.createDirectories(dir.resolve("rootfs/bin"));
            Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            for (String applet : Shell.run("/bin/busybox", "--list").split("\n")) {
                if (!applet.isBlank() && !applet.equals("busybox")) {
                    Files.createSymbolicLink(bin.resolve(applet.trim()), Path.of("busybox"));
                }
            }
            Files.createDirectories(dir.resolve("rootfs/tmp"));
            Files.createDirectories(dir.resolve("rootfs/etc"));
            Files.writeString(dir.resolve("rootfs/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Path tar = dir.resolve("rootfs.tar");
            Shell.run("tar", "-C", dir.resolve("rootfs").toString(), "-cf", tar.toString(), ".");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Shell.quietly("rm", "-rf", dir.toString())));
            rootfsTar = tar;
            return tar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base image alone, tagged {@link #BASE}. */
    public static void base(DockerCli daemon) {
        daemon.dockerOk("import", "-c", "CMD [\"/bin/sh\"]", "-c", "ENV PATH=/bin",
                busyboxRootfs().toString(), BASE);
    }

    /**
     * The small seed: the base (two tags), three derived images sharing its layer (one with three
     * tags, one built on another), and one untagged image. No large layer: quick to move.
     */
    public static void small(DockerCli daemon) {
        base(daemon);
        daemon.dockerOk("tag", BASE, "stowage-test/busybox:latest");
        daemon.build("stowage-test/app:1.0", "FROM " + BASE + "\nRUN echo app > /marker\nLABEL role=app\n");
        daemon.dockerOk("tag", "stowage-test/app:1.0", "stowage-test/app:latest");
        daemon.dockerOk("tag", "stowage-test/app:1.0", "registry.example:5000/team/app:1.0");
        daemon.build("stowage-test/worker:2", "FROM stowage-test/app:1.0\nRUN echo worker > /marker && mkdir /data\n"
                + "ENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD [\"cat /marker\"]\n");
        // an untagged image: built under a tag that a second build then takes away
        daemon.build("stowage-test/orphan:tmp", "FROM " + BASE + "\nRUN echo orphan > /marker\n");
        daemon.build("stowage-test/orphan:tmp", "FROM " + BASE + "\nRUN echo replacement > /marker\n");
    }

    /** The small seed plus an image with a random layer larger than the launcher's heap. */
    public static void standard(DockerCli daemon) {
        small(daemon);
        daemon.build(BIG, "FROM " + BASE + "\nRUN head -c " + BIG_LAYER_BYTES
                + " /dev/urandom > /big && sha256sum /big > /big.sha256\n");
    }
}
