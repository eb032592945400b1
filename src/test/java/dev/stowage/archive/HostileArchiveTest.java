package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives built to write outside their root. Each must be refused as a whole with a VERIFY error
 * naming the entry, and the canary outside the root must stay as it was, with nothing new beside
 * it. The "absolute path" case aims into the test's own directory rather than /etc, so a broken
 * extractor would fail this test without damaging the host.
 */
class HostileArchiveTest {
    private static final String CANARY_TEXT = "canary: must never change\n";

    @TempDir
    Path base;
    Path outside;
    Path canary;
    Path root;
    String before;

    @BeforeEach
    void layOut() throws IOException {
        outside = Files.createDirectory(base.resolve("outside"));
        canary = Files.writeString(outside.resolve("canary"), CANARY_TEXT);
        root = Files.createDirectories(base.resolve("r1").resolve("root"));
        before = outsideListing();
    }

    @Test
    void dotDotIsRefused() {
        assertRefused(archive(file("./good", "fine"), file("../x", "escaped")), "../x", "'..'");
    }

    @Test
    void deepDotDotIsRefused() {
        assertRefused(archive(dir("./a/"), file("./a/../../../outside/canary", "overwritten")), "canary", "'..'");
    }

    @Test
    void absolutePathIsRefused() {
        String target = outside.resolve("absolute").toString();
        assertRefused(archive(file(target, "escaped")), target, "absolute");
    }

    @Test
    void writeThroughSymlinkIsRefused() {
        assertRefused(archive(symlink("./a", outside.toString()), file("./a/pwn", "escaped")), "a/pwn", "symlink");
    }

    @Test
    void directoryThroughSymlinkIsRefused() {
        assertRefused(archive(symlink("./a", outside.toString()), dir("./a/sub/")), "a/sub", "symlink");
    }

    @Test
    void relativeSymlinkChainIsRefused() {
        assertRefused(archive(dir("./d/"), symlink("./d/up", "../.."), symlink("./d/up2", "up/.."),
                file("./d/up/outside/canary", "overwritten")), "d/up/outside/canary", "symlink");
    }

    @Test
    void hardlinkOutsideIsRefused() {
        assertRefused(archive(hardlink("./h", "../../outside/canary"), file("./h", "overwritten")), "./h", "'..'");
    }

    @Test
    void hardlinkThroughSymlinkIsRefused() {
        assertRefused(archive(symlink("./a", outside.toString()), hardlink("./h", "./a/canary"),
                file("./h", "overwritten")), "./h", "symlink");
    }

    @Test
    void absoluteHardlinkIsRefused() {
        assertRefused(archive(hardlink("./h", canary.toString()), file("./h", "overwritten")), "./h", "absolute");
    }

    @Test
    void hardlinkToMissingTargetIsRefused() {
        assertRefused(archive(hardlink("./h", "./nowhere")), "./h", "not in the archive");
    }

    @Test
    void deviceIsRefusedByDefault() throws IOException {
        assertRefused(archive(device("./sda", 8, 0)), "sda", "device");
        assertTrue(Files.notExists(root.resolve("sda"), LinkOption.NOFOLLOW_LINKS));
    }

    /** A file entry over an earlier symlink replaces the symlink; it never writes through it. */
    @Test
    void fileOverSymlinkReplacesTheLink() throws IOException {
        extract(archive(symlink("./a", canary.toString()), file("./a", "replaced")));
        assertEquals("replaced", Files.readString(root.resolve("a")));
        assertFalseSymlink(root.resolve("a"));
        assertOutsideUntouched();
    }

    /**
     * A hardlink to a symlink links the symlink inode itself (linkat without AT_SYMLINK_FOLLOW):
     * it makes a second symlink, which is data, and changes nothing outside.
     */
    @Test
    void hardlinkToSymlinkLinksTheLinkItself() throws IOException {
        extract(archive(symlink("./s", canary.toString()), hardlink("./h", "./s")));
        assertTrue(Files.isSymbolicLink(root.resolve("h")));
        assertEquals(canary.toString(), Files.readSymbolicLink(root.resolve("h")).toString());
        assertOutsideUntouched();
    }

    private void assertRefused(byte[] archive, String entry, String reason) {
        UnsafeEntryException refused = assertThrows(UnsafeEntryException.class, () -> extract(archive));
        assertEquals(ExitCode.VERIFY, refused.exitCode());
        assertTrue(refused.getMessage().contains(entry), refused.getMessage());
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
        assertTrue(refused.hint() != null && refused.hint().contains("nothing outside"), refused.hint());
        assertOutsideUntouched();
    }

    private void assertOutsideUntouched() {
        try {
            assertEquals(CANARY_TEXT, Files.readString(canary));
            assertEquals(before, outsideListing());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertFalseSymlink(Path path) {
        assertTrue(Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS), path + " should be a plain file");
    }

    /** Everything under the test's base directory except the extraction root. */
    private String outsideListing() throws IOException {
        try (Stream<Path> paths = Files.walk(base)) {
            return paths.filter(p -> !p.startsWith(root)).map(p -> base.relativize(p).toString()).sorted()
                    .collect(Collectors.joining("\n"));
        }
    }

    private void extract(byte[] archive) throws IOException {
        TreeExtractor.extract(new ByteArrayInputStream(archive), root, DevicePolicy.REFUSE);
    }

    /** One archive entry and, for a regular file, its content. */
    private record Entry(TarArchiveEntry header, byte[] content) {
        Entry(TarArchiveEntry header) {
            this(header, new byte[0]);
        }
    }

    private static Entry file(String name, String content) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        entry.setSize(bytes.length);
        entry.setMode(0644);
        return new Entry(entry, bytes);
    }

    private static Entry dir(String name) {
        return new Entry(new TarArchiveEntry(name, TarConstants.LF_DIR, true));
    }

    private static Entry symlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        entry.setLinkName(target);
        return new Entry(entry);
    }

    private static Entry hardlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        entry.setLinkName(target);
        return new Entry(entry);
    }

    private static Entry device(String name, int major, int minor) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_BLK, true);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        return new Entry(entry);
    }

    private static byte[] archive(Entry... entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : List.of(entries)) {
                tar.putArchiveEntry(entry.header());
                tar.write(entry.content());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }
}
