package dev.stowage.archive;

import java.math.BigDecimal;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * A tar entry whose PAX records Stowage writes itself. commons-compress would write the mtime
 * with only 7 fraction digits (100 ns); here it gets all 9, and the extended records (xattrs,
 * sparse map keys) go out exactly as given. Owner names stay empty: only numeric ids travel, so
 * extraction never depends on /etc/passwd of either host.
 */
final class TreeEntry extends TarArchiveEntry {
    private final Map<String, String> pax = new LinkedHashMap<>();

    TreeEntry(String name, byte linkFlag) {
        super(name, linkFlag, true);
        setUserName("");
        setGroupName("");
    }

    void putPax(String key, String value) {
        pax.put(key, value);
    }

    Map<String, String> pax() {
        return pax;
    }

    void setMtime(long seconds, int nanos) {
        setLastModifiedTime(FileTime.from(seconds, TimeUnit.SECONDS));
        if (nanos != 0 && seconds >= 0) {
            String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
            pax.put("mtime", seconds + "." + fraction);
        } else if (nanos != 0) {
            // before 1970: the decimal is seconds + fraction, e.g. -1.5 for (-2 s, 500000000 ns)
            pax.put("mtime", BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9)).toPlainString());
        }
    }

    /** Read by TarArchiveOutputStream after its own records, so these win. */
    @Override
    public Map<String, String> getExtraPaxHeaders() {
        return pax;
    }
}
