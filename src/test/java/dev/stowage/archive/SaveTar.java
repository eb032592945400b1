package dev.stowage.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds a synthetic {@code docker save} tar in memory, entries in the order they are added. */
final class SaveTar {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

    SaveTar() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    SaveTar directory(String name) {
        return add(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"), new byte[0]);
    }

    SaveTar file(String name, byte[] content) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        return add(entry, content);
    }

    SaveTar file(String name, String content) {
        return file(name, Bytes.utf8(content));
    }

    SaveTar symlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        return add(entry, new byte[0]);
    }

    InputStream stream() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private SaveTar add(TarArchiveEntry entry, byte[] content) {
        try {
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
