package dev.stowage.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.testing.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native layer against the JDK's and the host tools' view of the same inodes. */
class DirHandleTest {
    @TempDir
    Path dir;

    @Test
    void statMatchesTheJdk() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "twelve bytes");
        Shell.run("chown", "321:654", file.toString());
        Shell.run("chmod", "6711", file.toString());
        Shell.run("touch", "-d", "2003-04-05 06:07:08.123456789", file.toString());
        try (DirHandle handle = DirHandle.open(dir)) {
            FileStat stat = handle.stat(bytes("f"));
            Map<String, Object> unix = Files.readAttributes(file, "unix:*", LinkOption.NOFOLLOW_LINKS);
            assertEquals(FileType.REGULAR, stat.type());
            assertEquals(06711, stat.permissions());
            assertEquals(321, stat.uid());
            assertEquals(654, stat.gid());
            assertEquals(12, stat.size());
            assertEquals(((Number) unix.get("ino")).longValue(), stat.inode());
            FileTime mtime = (FileTime) unix.get("lastModifiedTime");
            assertEquals(mtime.toInstant().getEpochSecond(), stat.mtimeSeconds());
            assertEquals(123456789, stat.mtimeNanos());
        }
    }

    @Test
    void symlinksAreNeverFollowed() throws IOException {
        Path target = Files.createDirectory(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("link"), target);
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("missing"));
        try (DirHandle handle = DirHandle.open(dir)) {
            assertEquals(FileType.SYMLINK, handle.stat(bytes("link")).type());
            ErrnoException opened = assertThrows(ErrnoException.class, () -> handle.openDir(bytes("link")));
            assertTrue(opened.isSymlinkLoop() || opened.isNotDirectory(), opened.getMessage());
            ErrnoException created = assertThrows(ErrnoException.class, () -> handle.createFile(bytes("dangling"), 0600));
            assertTrue(created.isExists(), created.getMessage());
            assertFalse(Files.exists(dir.resolve("missing"), LinkOption.NOFOLLOW_LINKS));
            assertArrayEquals(bytes(dir.resolve("missing").toString()), handle.readLink(bytes("dangling")));
        }
    }

    @Test
    void listGivesRawNames() throws IOException {
        Shell.run("sh", "-c", "cd '" + dir + "' && touch \"$(printf 'x\\377y')\" plain");
        try (DirHandle handle = DirHandle.open(dir)) {
            List<byte[]> names = handle.list();
            assertEquals(2, names.size());
            assertTrue(names.stream().anyMatch(n -> java.util.Arrays.equals(n, new byte[] {'x', (byte) 0xff, 'y'})));
        }
    }

    @Test
    void xattrsOfEveryNamespaceRoundTrip() throws IOException {
        byte[] binary = {0, (byte) 0x80, (byte) 0xff, 10};
        try (DirHandle handle = DirHandle.open(dir)) {
            try (FileHandle file = handle.createFile(bytes("f"), 0644)) {
                file.setXattr("user.binary", binary);
                file.setXattr("trusted.empty", new byte[0]);
            }
            handle.createSymlink(bytes("s"), bytes("nowhere"));
            handle.setXattr(bytes("s"), "trusted.on-link", bytes("link's own"));
            SortedMap<String, byte[]> onFile = handle.xattrs(bytes("f"));
            assertArrayEquals(binary, onFile.get("user.binary"));
            assertArrayEquals(new byte[0], onFile.get("trusted.empty"));
            assertArrayEquals(bytes("link's own"), handle.xattrs(bytes("s")).get("trusted.on-link"));
        }
        String dump = Shell.run("getfattr", "-h", "-d", "-m", "-", "-e", "hex", dir.resolve("f").toString());
        assertTrue(dump.contains("user.binary=0x0080ff0a"), dump);
    }

    @Test
    void devicesKeepLargeNumbers() throws IOException {
        try (DirHandle handle = DirHandle.open(dir)) {
            handle.createDevice(bytes("dev"), FileType.BLOCK_DEVICE, 0640, 300, 70000);
            FileStat stat = handle.stat(bytes("dev"));
            assertEquals(FileType.BLOCK_DEVICE, stat.type());
            assertEquals(300, stat.rdevMajor());
            assertEquals(70000, stat.rdevMinor());
        }
        String shown = Shell.run("stat", "-c", "%t:%T", dir.resolve("dev").toString()).trim();
        assertEquals(Long.toHexString(300) + ":" + Long.toHexString(70000), shown);
    }

    @Test
    void holesAreFound() throws IOException {
        Shell.run("sh", "-c", "cd '" + dir + "' && truncate -s 16M s && printf abc | dd of=s bs=1 seek=8388608"
                + " conv=notrunc status=none");
        try (DirHandle handle = DirHandle.open(dir); FileHandle file = handle.openRead(bytes("s"))) {
            assertTrue(file.canFindHoles());
            long data = file.nextData(0);
            assertTrue(data <= 8388608 && data > 4 << 20, "data at " + data);
            long hole = file.nextHole(data);
            assertTrue(hole > 8388608 && hole < 12 << 20, "hole at " + hole);
            assertEquals(-1, file.nextData(hole));
            assertTrue(handle.stat(bytes("s")).mayBeSparse());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
