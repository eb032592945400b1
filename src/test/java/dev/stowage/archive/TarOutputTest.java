package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/**
 * TarOutput against commons-compress's TarArchiveOutputStream as the oracle: for every kind of
 * entry Stowage writes, with names and link targets around the 100-byte limit, non-ASCII bytes,
 * ids, device numbers, sizes and times too big for the header, nanosecond and pre-1970 times, and
 * xattr records, both must write the same bytes, record for record.
 */
class TarOutputTest {
    private static final byte[] TYPES = {TarConstants.LF_NORMAL, TarConstants.LF_DIR, TarConstants.LF_SYMLINK,
        TarConstants.LF_LINK, TarConstants.LF_FIFO, TarConstants.LF_CHR, TarConstants.LF_BLK};

    @Test
    void writesWhatCommonsCompressWritesForThousandsOfRandomEntries() throws IOException {
        Random random = new Random(20261202);
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        TarOutput output = new TarOutput(ours);
        TarArchiveOutputStream oracle = oracle(theirs);
        for (int i = 0; i < 3000; i++) {
            TreeEntry entry = randomEntry(random, i);
            output.begin(entry);
            oracle.putArchiveEntry(new OracleEntry(entry));
            assertArrayEquals(theirs.toByteArray(), ours.toByteArray(), "headers of entry " + i + ": " + entry.name());
            if (entry.type() == TarConstants.LF_NORMAL) {
                byte[] data = new byte[(int) entry.size()];
                random.nextBytes(data);
                output.write(data, 0, data.length);
                oracle.write(data);
            }
            output.end();
            oracle.closeArchiveEntry();
            assertArrayEquals(theirs.toByteArray(), ours.toByteArray(), "entry " + i + ": " + entry.name());
            ours.reset();
            theirs.reset();
        }
        output.finish();
        oracle.finish();
        assertArrayEquals(theirs.toByteArray(), ours.toByteArray());
    }

    @Test
    void numbersTooBigForTheHeaderGoIntoPaxRecordsAsCommonsCompressWritesThem() throws IOException {
        TreeEntry entry = new TreeEntry("./huge", TarConstants.LF_NORMAL);
        entry.setSize(1L << 40); // a 1 TiB file: only its headers are compared
        entry.setUserId(4_294_967_294L);
        entry.setGroupId(3_000_000L);
        entry.setMtime(1L << 40, 0);
        entry.setMode(04755);
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        new TarOutput(ours).begin(entry);
        oracle(theirs).putArchiveEntry(new OracleEntry(entry));
        assertArrayEquals(theirs.toByteArray(), ours.toByteArray());
        String pax = new String(ours.toByteArray(), 512, 512, StandardCharsets.US_ASCII);
        assertEquals(true, pax.contains("size=1099511627776\n") && pax.contains("uid=4294967294\n"), pax);
    }

    @Test
    void commonsCompressReadsItBack() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarOutput output = new TarOutput(bytes);
        String longName = "./" + "d/".repeat(60) + "file-\u00e9";
        TreeEntry file = new TreeEntry(longName, TarConstants.LF_NORMAL);
        file.setSize(3);
        file.setMtime(1_700_000_000L, 123_456_789);
        file.setMode(0640);
        file.setUserId(1000);
        SortedMap<String, byte[]> xattrs = new TreeMap<>();
        xattrs.put("user.note", "hello".getBytes(StandardCharsets.UTF_8));
        PaxXattrs.put(file.pax(), xattrs);
        output.begin(file);
        output.write(new byte[] {1, 2, 3}, 0, 3);
        output.end();
        TreeEntry link = new TreeEntry("./l", TarConstants.LF_SYMLINK);
        link.setLinkName("../" + "x".repeat(150));
        output.begin(link);
        output.end();
        output.finish();

        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()),
                StandardCharsets.ISO_8859_1.name())) {
            TarArchiveEntry first = in.getNextEntry();
            assertEquals(longName, first.getName());
            assertEquals(3, first.getSize());
            assertEquals(0640, first.getMode());
            assertEquals(1000, first.getLongUserId());
            assertEquals(FileTime.from(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS), first.getLastModifiedTime());
            assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
            assertArrayEquals(xattrs.get("user.note"), PaxXattrs.get(first.getExtraPaxHeaders()).get("user.note"));
            TarArchiveEntry second = in.getNextEntry();
            assertEquals("../" + "x".repeat(150), second.getLinkName());
            assertEquals(null, in.getNextEntry());
        }
    }

    @Test
    void anEntryMustGetExactlyTheBytesItsHeaderPromises() throws IOException {
        TarOutput output = new TarOutput(new ByteArrayOutputStream());
        TreeEntry entry = new TreeEntry("./f", TarConstants.LF_NORMAL);
        entry.setSize(4);
        output.begin(entry);
        assertThrows(IOException.class, () -> output.write(new byte[5], 0, 5));
        output.write(new byte[3], 0, 3);
        assertThrows(IOException.class, output::end);
        assertThrows(IllegalStateException.class, () -> output.begin(new TreeEntry("./g", TarConstants.LF_NORMAL)));
    }

    private static TarArchiveOutputStream oracle(ByteArrayOutputStream bytes) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.ISO_8859_1.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private static TreeEntry randomEntry(Random random, int i) {
        byte type = TYPES[random.nextInt(TYPES.length)];
        String name = "./" + randomName(random, 1 + random.nextInt(random.nextBoolean() ? 60 : 240)) + "-" + i;
        TreeEntry entry = new TreeEntry(type == TarConstants.LF_DIR ? name + "/" : name, type);
        entry.setMode(random.nextInt(010000));
        entry.setUserId(random.nextInt(4) == 0 ? Integer.toUnsignedLong(random.nextInt()) : random.nextInt(70000));
        entry.setGroupId(random.nextInt(4) == 0 ? Integer.toUnsignedLong(random.nextInt()) : random.nextInt(70000));
        long seconds = switch (random.nextInt(5)) {
            case 0 -> -1 - random.nextInt(1_000_000_000);
            case 1 -> (1L << 33) + random.nextInt(1000);
            default -> random.nextInt(2_000_000_000);
        };
        entry.setMtime(seconds, random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
        if (type == TarConstants.LF_NORMAL) {
            entry.setSize(random.nextInt(3) == 0 ? 0 : random.nextInt(3000));
        }
        if (type == TarConstants.LF_SYMLINK || type == TarConstants.LF_LINK) {
            entry.setLinkName(randomName(random, 1 + random.nextInt(200)));
        }
        if (type == TarConstants.LF_CHR || type == TarConstants.LF_BLK) {
            entry.setDevMajor(random.nextInt(3) == 0 ? 1 << 22 : random.nextInt(300));
            entry.setDevMinor(random.nextInt(3) == 0 ? 1 << 21 : random.nextInt(300));
        }
        if (random.nextInt(3) == 0) {
            SortedMap<String, byte[]> xattrs = new TreeMap<>();
            xattrs.put("user.k" + random.nextInt(100), randomName(random, random.nextInt(120))
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] binary = new byte[random.nextInt(40)];
            random.nextBytes(binary);
            xattrs.put("security.capability", binary);
            PaxXattrs.put(entry.pax(), xattrs);
        }
        return entry;
    }

    /** Latin1 characters, as Stowage's names are (one char per byte of the raw name), '/' included. */
    private static String randomName(Random random, int length) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(20);
            name.append(pick == 0 ? '/' : pick == 1 ? (char) (0x80 + random.nextInt(0x80)) : (char) ('a' + random.nextInt(26)));
        }
        return name.toString();
    }

    /** The entry as Stowage used to hand it to commons-compress. */
    private static final class OracleEntry extends TarArchiveEntry {
        private final Map<String, String> pax;

        OracleEntry(TreeEntry entry) {
            super(entry.name(), entry.type(), true);
            setUserName("");
            setGroupName("");
            setMode(entry.mode());
            setUserId(entry.userId());
            setGroupId(entry.groupId());
            setSize(entry.size());
            setLastModifiedTime(FileTime.from(entry.mtimeSeconds(), TimeUnit.SECONDS));
            setLinkName(entry.linkName());
            setDevMajor(entry.devMajor());
            setDevMinor(entry.devMinor());
            pax = entry.pax();
        }

        @Override
        public Map<String, String> getExtraPaxHeaders() {
            return pax;
        }
    }
}
