package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.fs.DirHandle;
import dev.stowage.fs.FileStat;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.testing.Shell;
import dev.stowage.testing.TreeListing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archive a tree with every kind of metadata, extract it, and compare with the host's own tools. */
class TreeRoundTripTest {
    private static final int SMALL_FILES = 3000;

    @TempDir
    static Path work;
    static Path source;
    static Digest sourceDigest;
    static String sourceListing;

    @BeforeAll
    static void buildFixture() throws IOException {
        source = Files.createDirectory(work.resolve("source"));
        TreeFixture.build(source, SMALL_FILES);
        sourceDigest = TreeDigest.of(source);
        sourceListing = TreeListing.of(source);
    }

    @Test
    void roundTripKeepsEveryInodeAndAttribute() throws IOException {
        Path archive = work.resolve("plain.tar");
        Path target = Files.createDirectory(work.resolve("plain-out"));
        TreeStats written = archive(source, archive, Compression.NONE);
        TreeStats extracted = extract(archive, target, DevicePolicy.CREATE);

        assertEquals(sourceListing, TreeListing.of(target));
        assertEquals(sourceDigest, TreeDigest.of(target));
        assertEquals(written.entries(), extracted.entries());
        assertEquals(1, written.sparseFiles());
        assertEquals(1, written.hardlinks());
        assertTrue(written.changedWhileRead().isEmpty());
    }

    @Test
    void sparseFileComesBackSparse() throws IOException {
        Path archive = work.resolve("sparse.tar");
        Path target = Files.createDirectory(work.resolve("sparse-out"));
        archive(source, archive, Compression.NONE);
        assertTrue(Files.size(archive) < 50L << 20, "the archive holds the holes: " + Files.size(archive));
        extract(archive, target, DevicePolicy.CREATE);
        try (DirHandle dir = DirHandle.open(target)) {
            FileStat stat = dir.stat("sparse.img".getBytes(StandardCharsets.US_ASCII));
            assertEquals(TreeFixture.SPARSE_SIZE, stat.size());
            assertTrue(stat.blocks() * 512 <= 8 << 10, "allocated " + stat.blocks() * 512 + " bytes");
        }
    }

    @Test
    void capabilitiesAndAclsAreRestoredExactly() throws IOException {
        Path archive = work.resolve("caps.tar");
        Path target = Files.createDirectory(work.resolve("caps-out"));
        archive(source, archive, Compression.NONE);
        extract(archive, target, DevicePolicy.CREATE);
        String capability = TreeFixture.sh(target, "getfattr -h -n security.capability -e hex odd/capable");
        assertTrue(capability.contains("security.capability=" + TreeFixture.CAPABILITY_HEX), capability);
        String acl = TreeFixture.sh(target, "getfacl -n -p acl");
        assertTrue(acl.contains("user:1000:rwx") && acl.contains("default:group:100:r-x"), acl);
        String inherited = TreeFixture.sh(target, "getfattr -h -d -m - acl/before-default");
        assertTrue(inherited.isBlank(), "the default ACL leaked into a child made before it: " + inherited);
        String owned = TreeFixture.sh(target, "getfattr -h -d -m - -e hex odd/owned");
        assertTrue(owned.contains("user.empty=0x\n"), owned);
        assertTrue(owned.contains("user.binary=0x00ff7f80"), owned);
        assertTrue(owned.contains("trusted.stowage=0xdeadbeef"), owned);
    }

    @Test
    void hardlinksShareOneInodeAfterExtraction() throws IOException {
        Path archive = work.resolve("links.tar");
        Path target = Files.createDirectory(work.resolve("links-out"));
        archive(source, archive, Compression.NONE);
        extract(archive, target, DevicePolicy.CREATE);
        try (DirHandle dir = DirHandle.open(target); DirHandle nested = dir.openDir(bytes("nested"))) {
            FileStat a = dir.stat(bytes("hardlink-a"));
            FileStat b = nested.stat(bytes("hardlink-b"));
            assertEquals(a.inodeKey(), b.inodeKey());
            assertEquals(2, a.nlink());
        }
    }

    @Test
    void zstdRoundTripIsSmallerAndEqual() throws IOException {
        Path plain = work.resolve("size.tar");
        Path zstd = work.resolve("size.tar.zst");
        Path target = Files.createDirectory(work.resolve("zstd-out"));
        archive(source, plain, Compression.NONE);
        archive(source, zstd, Compression.ZSTD);
        assertTrue(Files.size(zstd) < Files.size(plain) / 4, Files.size(zstd) + " vs " + Files.size(plain));
        extract(zstd, target, DevicePolicy.CREATE);
        assertEquals(sourceDigest, TreeDigest.of(target));
    }

    @Test
    void archivesOfOneTreeAreIdentical() throws IOException {
        Path first = work.resolve("same-1.tar");
        Path second = work.resolve("same-2.tar");
        archive(source, first, Compression.NONE);
        archive(source, second, Compression.NONE);
        assertEquals(-1, Files.mismatch(first, second));
    }

    @Test
    void devicesAreRefusedUnlessAllowed() throws IOException {
        Path archive = work.resolve("devices.tar");
        Path target = Files.createDirectory(work.resolve("devices-out"));
        archive(source, archive, Compression.NONE);
        UnsafeEntryException refused = assertThrows(UnsafeEntryException.class,
                () -> extract(archive, target, DevicePolicy.REFUSE));
        assertEquals(ExitCode.VERIFY, refused.exitCode());
        assertTrue(refused.getMessage().contains("big-dev") && refused.getMessage().contains("device"),
                refused.getMessage());
    }

    @Test
    void digestSeesEveryKindOfChange() throws IOException {
        Path small = Files.createDirectory(work.resolve("digest-source"));
        TreeFixture.build(small, 20);
        Digest smallDigest = TreeDigest.of(small);
        Path archive = work.resolve("digest.tar");
        archive(small, archive, Compression.NONE);
        Path copy = Files.createDirectory(work.resolve("digest-copy"));
        extract(archive, copy, DevicePolicy.CREATE);
        assertEquals(smallDigest, TreeDigest.of(copy));
        String[] changes = {
            "chmod 0641 odd/owned",
            "chown 12346 odd/owned",
            "chgrp 1 dangling -h",
            "setfattr -n user.note -v 'other text' odd/owned",
            "setfattr -x user.empty odd/owned",
            "setfacl -m u:1001:r acl",
            "touch -d '2020-01-01 00:00:00.5' nested/empty",
            "touch -h -d '2001-02-03 04:05:06.123456788' dangling",
            "printf 'Z' | dd of=sparse.img bs=1 seek=1000 conv=notrunc status=none",
            "truncate -s +4096 sparse.img",
            "rm nested/hardlink-b && cp --preserve=all hardlink-a nested/hardlink-b",
            "mkdir nested/empty/new",
        };
        for (String change : changes) {
            Path variant = Files.createDirectory(work.resolve("digest-" + Integer.toHexString(change.hashCode())));
            extract(archive, variant, DevicePolicy.CREATE);
            TreeFixture.sh(variant, change);
            if (!change.startsWith("touch")) {
                for (String dir : new String[] {"nested/empty", "nested", "acl", "."}) {
                    Shell.run("touch", "-r", small.resolve(dir).toString(), variant.resolve(dir).toString());
                }
            }
            assertNotEquals(smallDigest, TreeDigest.of(variant), "digest missed: " + change);
        }
    }

    @Test
    void holesAndWrittenZerosDigestAlike() throws IOException {
        Path holes = Files.createDirectory(work.resolve("zeros-holes"));
        Path zeros = Files.createDirectory(work.resolve("zeros-written"));
        TreeFixture.sh(holes, "truncate -s 3M f && printf abc | dd of=f bs=1 seek=1048576 conv=notrunc status=none"
                + " && touch -d @1 f .");
        TreeFixture.sh(zeros, "head -c 3M /dev/zero > f && printf abc | dd of=f bs=1 seek=1048576 conv=notrunc"
                + " status=none && touch -d @1 f .");
        assertEquals(TreeDigest.of(holes), TreeDigest.of(zeros));
    }

    static TreeStats archive(Path root, Path archive, Compression compression) throws IOException {
        try (OutputStream out = compression.compress(Files.newOutputStream(archive))) {
            return TreeWriter.write(root, out);
        }
    }

    static TreeStats extract(Path archive, Path root, DevicePolicy devices) throws IOException {
        try (InputStream in = Compression.detect(Files.newInputStream(archive))) {
            return TreeExtractor.extract(in, root, devices);
        }
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
