package dev.stowage.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Containers and volumes on top of {@link ImageFixtures#small}, with data of every kind an export
 * meets: many small text files, incompressible noise, a compressible log, a sparse file, and
 * writable layers in a running, an exited and a never-started container. Volume data is written
 * straight into the volumes' mountpoints (the tests run as root on the daemon's host), which is
 * much faster than writing it from inside a container.
 */
public final class StorageFixtures {
    public static final long NOISE_BYTES = 24L << 20;
    public static final long LOG_BYTES = 12L << 20;
    public static final int SMALL_FILES = 3000;

    private StorageFixtures() {
    }

    public static void containersAndVolumes(PrivateDaemon daemon) {
        ImageFixtures.small(daemon);
        addContainersAndVolumes(daemon);
    }

    /** The containers and volumes alone, on a daemon that has {@link ImageFixtures#BASE}. */
    public static void addContainersAndVolumes(PrivateDaemon daemon) {
        Random random = new Random(5);
        try {
            Path texts = volume(daemon, "texts");
            for (int d = 0; d < SMALL_FILES / 100; d++) {
                Path dir = Files.createDirectories(texts.resolve("dir-" + d));
                for (int f = 0; f < 100; f++) {
                    Files.writeString(dir.resolve("note-" + f + ".txt"), text(random, 100 + random.nextInt(4000)));
                }
            }
            byte[] noise = new byte[(int) NOISE_BYTES];
            random.nextBytes(noise);
            Files.write(volume(daemon, "noise").resolve("noise.bin"), noise);
            Path logs = volume(daemon, "logs");
            Files.writeString(logs.resolve("app.log"), text(random, (int) LOG_BYTES));
            try (RandomAccessFile sparse = new RandomAccessFile(logs.resolve("disk.img").toFile(), "rw")) {
                sparse.setLength(512L << 20);
                sparse.seek(100L << 20);
                sparse.write(text(random, 1 << 20).getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon.dockerOk("run", "-d", "--name", "web", "--network", "none", "-v", "texts:/srv/texts",
                ImageFixtures.BASE, "sh", "-c", "mkdir -p /var/www && head -c 3000000 /dev/urandom > /var/www/blob"
                        + " && seq 1 200000 > /var/www/seq.txt && exec sleep 3600");
        daemon.dockerOk("run", "--name", "db", "--network", "none", "-v", "noise:/var/lib/db", "-v", "logs:/var/log/app",
                ImageFixtures.BASE, "sh", "-c", "mkdir -p /var/db && seq 1 500000 > /var/db/rows && rm -f /etc/passwd");
        daemon.dockerOk("create", "--name", "idle", "--network", "none", ImageFixtures.BASE, "sleep", "1");
        waitForFile(daemon, "web", "/var/www/seq.txt");
    }

    private static Path volume(PrivateDaemon daemon, String name) {
        daemon.dockerOk("volume", "create", name);
        return Path.of(daemon.dockerOk("volume", "inspect", "--format", "{{.Mountpoint}}", name));
    }

    private static void waitForFile(PrivateDaemon daemon, String container, String path) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (daemon.docker("exec", container, "test", "-s", path).exitCode() == 0) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException(container + " did not write " + path);
    }

    /** Log-like text: compresses about 4:1 with zstd -3, like real logs. */
    public static String text(Random random, int length) {
        String[] words = {"GET", "/api/v1/items", "200", "INFO", "request", "served", "in", "ms", "user", "id",
            "session", "cache", "miss", "hit", "WARN", "retry", "upstream", "timeout"};
        StringBuilder text = new StringBuilder(length + 32);
        while (text.length() < length) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(10) == 0 ? '\n' : ' ');
            if (random.nextInt(8) == 0) {
                text.append(random.nextInt(1_000_000)).append(' ');
            }
        }
        text.setLength(length);
        return text.toString();
    }
}
