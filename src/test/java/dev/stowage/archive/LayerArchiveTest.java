package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ContainerChange;
import dev.stowage.model.WritableLayer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writable layer archived from the engine's change list, as the engine reports the changes. */
class LayerArchiveTest {
    @TempDir
    Path work;

    /** The engine sends names as JSON text; the file on disk has the UTF-8 bytes of that text. */
    @Test
    void utf8NameFromTheChangeListIsArchived() throws IOException {
        Path upper = Files.createDirectory(work.resolve("upper"));
        String name = "caf\u00e9-\u65e5\u672c";
        Files.writeString(upper.resolve(name), "utf8\n");

        Written written = write(upper, List.of(ContainerChange.of("/" + name, 1)));
        String archived = new String(written.names().get(0).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        assertEquals("./" + name, archived);
        assertTrue(written.stats().changedWhileRead().isEmpty());
    }

    /**
     * {@code ln /image-file /new-name}: the engine lists only the new name (the image file's
     * metadata did not move), yet both names are one inode in the layer, and stay so.
     */
    @Test
    void unlistedNameOfAHardlinkedFileIsAddedAsTheLinkTarget() throws IOException {
        Path upper = Files.createDirectories(work.resolve("upper/etc/app"));
        Files.writeString(upper.resolve("keep"), "keep\n");
        Files.createLink(upper.resolve("keep-hardlink"), upper.resolve("keep"));

        Written written = write(work.resolve("upper"), List.of(ContainerChange.of("/etc/app", 0),
                ContainerChange.of("/etc/app/keep-hardlink", 1)));
        assertEquals(List.of("./etc/app/", "./etc/app/keep", "./etc/app/keep-hardlink"), written.names());
        assertEquals("./etc/app/keep", written.links().get(2), "the second name links to the first");
    }

    @Test
    void listedPathThatIsGoneIsReported() throws IOException {
        Path upper = Files.createDirectory(work.resolve("upper"));
        Written written = write(upper, List.of(ContainerChange.of("/vanished", 1)));
        assertEquals(List.of(), written.names());
        assertEquals(List.of("./vanished"), written.stats().changedWhileRead());
    }

    private record Written(TreeStats stats, List<String> names, List<String> links) {
    }

    private static Written write(Path upper, List<ContainerChange> changes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TreeStats stats = LayerArchive.write(new WritableLayer(upper, WritableLayer.Kind.OVERLAY), changes, out);
        List<String> names = new ArrayList<>();
        List<String> links = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()),
                StandardCharsets.ISO_8859_1.name())) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                names.add(entry.getName());
                links.add(entry.isLink() ? entry.getLinkName() : null);
            }
        }
        return new Written(stats, names, links);
    }
}
