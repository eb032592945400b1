package dev.stowage.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bare entry point for bench/volume-bench.sh and for debugging:
 * {@code java -cp stowage.jar dev.stowage.archive.TreeTool archive|extract|digest ...}. It is not a
 * Stowage command (users never need it), so it prints plainly and exits non-zero on any error.
 */
public final class TreeTool {
    private TreeTool() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            usage();
        }
        // STOWAGE_TREE_REPEAT=N runs the operation N times in this JVM and reports each run's
        // seconds: the bench uses it to tell the JVM's one-off start-up and JIT cost from the work.
        int repeat = Integer.parseInt(System.getenv().getOrDefault("STOWAGE_TREE_REPEAT", "1"));
        for (int i = 1; i <= repeat; i++) {
            long start = System.nanoTime();
            run(args, repeat == 1 ? "" : "." + i);
            if (repeat > 1) {
                System.err.printf("run %d: %.3f s%n", i, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static void run(String[] args, String suffix) throws IOException {
        switch (args[0]) {
            case "archive": // archive ROOT OUT [none|zstd]
                Compression compression = args.length > 3 ? Compression.parse(args[3]) : Compression.NONE;
                try (OutputStream out = compression.compress(
                        new BufferedOutputStream(Files.newOutputStream(Path.of(args[2] + suffix)), TreeWriter.BUFFER))) {
                    print(TreeWriter.write(Path.of(args[1]), out));
                }
                break;
            case "extract": // extract IN ROOT  (compression detected; ROOT must exist, or ROOT.i with a repeat)
                Path root = Files.createDirectories(Path.of(args[2] + suffix));
                try (InputStream in = Compression.detect(Files.newInputStream(Path.of(args[1])))) {
                    print(TreeExtractor.extract(in, root, DevicePolicy.CREATE));
                }
                break;
            case "digest": // digest ROOT
                System.out.println(TreeDigest.of(Path.of(args[1])));
                break;
            default:
                usage();
        }
    }

    private static void print(TreeStats stats) {
        System.err.println(stats);
    }

    /** Fails the JVM (exit status 1) without calling exit: only the CLI's Main decides exit codes. */
    private static void usage() {
        throw new IllegalArgumentException("usage: TreeTool archive ROOT OUT [none|zstd] | extract IN ROOT | digest ROOT");
    }
}
