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
        switch (args[0]) {
            case "archive": // archive ROOT OUT [none|zstd]
                Compression compression = args.length > 3 ? Compression.parse(args[3]) : Compression.NONE;
                try (OutputStream out = compression.compress(
                        new BufferedOutputStream(Files.newOutputStream(Path.of(args[2])), TreeWriter.BUFFER))) {
                    print(TreeWriter.write(Path.of(args[1]), out));
                }
                break;
            case "extract": // extract IN ROOT  (compression detected)
                try (InputStream in = Compression.detect(Files.newInputStream(Path.of(args[1])))) {
                    print(TreeExtractor.extract(in, Path.of(args[2]), DevicePolicy.CREATE));
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
