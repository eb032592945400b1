package dev.stowage.archive;

import dev.stowage.testing.Shell;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tree with every kind of inode and metadata a volume can hold, made with the host's own tools
 * (setfattr, setfacl, mknod, touch) so the fixture does not depend on the code under test.
 */
final class TreeFixture {
    /** A valid VFS_CAP_REVISION_2 blob: effective, permitted = CAP_SETUID | CAP_NET_BIND_SERVICE.
     * Its 0x80 byte is not valid UTF-8, so it exercises the binary-safe xattr record. */
    static final String CAPABILITY_HEX = "0x0100000280040000000000000000000000000000";
    static final long SPARSE_SIZE = 1L << 30;
    static final long SPARSE_DATA_AT = 300L << 20;
    /** A name that is not UTF-8: only a byte-exact path survives it. */
    static final String ODD_NAME = "caf\\303\\251-\\377";

    private TreeFixture() {
    }

    static void build(Path root, int smallFiles) throws IOException {
        for (int i = 0; i < smallFiles; i++) {
            Path dir = root.resolve("small").resolve("d" + (i % 40));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("f" + i + ".txt"), "file " + i + "\n".repeat(i % 7));
        }
        Path odd = Files.createDirectories(root.resolve("odd"));
        Files.writeString(odd.resolve("owned"), "owned by 12345:54321\n");
        Files.writeString(odd.resolve("setuid"), "#!/bin/sh\necho hi\n");
        Files.writeString(odd.resolve("capable"), "binary with file capabilities\n");
        Files.writeString(odd.resolve("big-ids"), "ids past the 7-digit octal header field\n");
        Files.writeString(odd.resolve("a".repeat(120) + "-long-name"), "long name\n");
        Files.createDirectories(root.resolve("acl"));
        Files.writeString(root.resolve("acl/before-default"), "made before the default ACL\n");
        Files.writeString(root.resolve("hardlink-a"), "two names, one inode\n");
        Files.createDirectories(root.resolve("nested/empty/deeper/deepest"));
        Files.createDirectories(root.resolve("sticky"));
        Files.createDirectories(root.resolve("setgid-dir"));
        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("sparse.img").toFile(), "rw")) {
            sparse.setLength(SPARSE_SIZE);
            sparse.seek(SPARSE_DATA_AT);
            sparse.write("4 KiB of data in a 1 GiB hole".repeat(150).getBytes(StandardCharsets.US_ASCII), 0, 4096);
        }
        sh(root, "chown 12345:54321 odd/owned && chmod 0640 odd/owned"
                + " && chmod 4755 odd/setuid && chown 0:12345 odd/setuid && chmod 4755 odd/setuid"
                + " && setfattr -n user.note -v 'plain text' odd/owned"
                + " && setfattr -n user.empty odd/owned"
                + " && setfattr -n user.binary -v 0x00ff7f80 odd/owned"
                + " && setfattr -n trusted.stowage -v 0xdeadbeef odd/owned"
                + " && setfattr -n security.capability -v " + CAPABILITY_HEX + " odd/capable"
                + " && setfacl -m u:1000:rwx,g:100:r-x acl && setfacl -d -m u:1000:rwx,g:100:r-x acl"
                + " && setfacl -m u:4242:r-- hardlink-a"
                + " && ln hardlink-a nested/hardlink-b"
                + " && ln -s /nonexistent/missing/target dangling"
                + " && ln -s ../odd/owned nested/relative-link"
                + " && ln -s " + "b".repeat(150) + " long-target-link"
                + " && mkfifo -m 0620 fifo && chown 7:8 fifo"
                + " && mknod -m 0600 null-like c 1 3 && mknod -m 0640 big-dev b 300 70000"
                + " && printf 'x' > \"$(printf '" + ODD_NAME + "')\""
                + " && chmod 1777 sticky && chmod 2775 setgid-dir && chown 1:2 setgid-dir"
                + " && chown -h 33:33 nested/relative-link && chown 3000000000:3000000001 odd/big-ids"
                + " && touch -h -d '2001-02-03 04:05:06.123456789' dangling"
                + " && touch -d '1999-12-31 23:59:59.987654321' odd/owned"
                + " && touch -d '2010-10-10 10:10:10.000000001' nested/empty/deeper/deepest nested/empty/deeper"
                + " && touch -d '2011-11-11 11:11:11.5' nested/empty acl odd small"
                + " && chown 4000:4001 . && chmod 0751 . && touch -d '2012-12-12 12:12:12.121212121' .");
    }

    static String sh(Path dir, String command) {
        return Shell.run("sh", "-c", "cd '" + dir + "' && " + command);
    }
}
