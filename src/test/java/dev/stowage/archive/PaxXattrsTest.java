package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.fs.Names;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/** xattrs through a real commons-compress PAX round trip: every byte string must come back. */
class PaxXattrsTest {
    @Test
    void everyValueAndNameSurvivesATarRoundTrip() throws IOException {
        SortedMap<String, byte[]> xattrs = new TreeMap<>();
        xattrs.put("user.text", "plain text".getBytes(StandardCharsets.UTF_8));
        xattrs.put("user.utf8", "grüße".getBytes(StandardCharsets.UTF_8));
        xattrs.put("user.empty", new byte[0]);
        xattrs.put("user.nul", new byte[] {'a', 0, 'b'});
        xattrs.put("security.capability", new byte[] {1, 0, 0, 2, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            0, 0, 0, 0, 0x3f, 0, 0, 0, 0, 0, 0, 0});
        xattrs.put("security.selinux", "system_u:object_r:container_file_t:s0:c1,c2\0".getBytes(StandardCharsets.UTF_8));
        xattrs.put("user.a=b", "equals in the name".getBytes(StandardCharsets.UTF_8));
        xattrs.put("user.100%", new byte[] {(byte) 0x80});
        xattrs.put(Names.latin1(new byte[] {'u', 's', 'e', 'r', '.', (byte) 0xe9}), new byte[] {'x'});
        xattrs.put("user.newline", "two\nlines".getBytes(StandardCharsets.UTF_8));

        SortedMap<String, byte[]> back = roundTrip(xattrs);
        assertEquals(xattrs.keySet(), back.keySet());
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            assertArrayEquals(xattr.getValue(), back.get(xattr.getKey()), xattr.getKey());
        }
    }

    @Test
    void textValuesUseTheRecordGnuTarReads() {
        Map<String, String> pax = new LinkedHashMap<>();
        SortedMap<String, byte[]> xattrs = new TreeMap<>();
        xattrs.put("security.selinux", "system_u:object_r:x_t:s0\0".getBytes(StandardCharsets.UTF_8));
        xattrs.put("security.capability", new byte[] {1, 0, 0, 2, (byte) 0x80});
        PaxXattrs.put(pax, xattrs);
        assertTrue(pax.containsKey("SCHILY.xattr.security.selinux"), pax.toString());
        assertEquals("AQAAAoA=", pax.get("LIBARCHIVE.xattr.security.capability"));
    }

    private static SortedMap<String, byte[]> roundTrip(SortedMap<String, byte[]> xattrs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarOutput out = new TarOutput(bytes);
        TreeEntry entry = new TreeEntry("./f", TarConstants.LF_NORMAL);
        PaxXattrs.put(entry.pax(), xattrs);
        out.begin(entry);
        out.end();
        out.finish();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            TarArchiveEntry read = tar.getNextEntry();
            return PaxXattrs.get(read.getExtraPaxHeaders());
        }
    }
}
