package dev.stowage.archive;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry that {@link TarOutput} writes: its header fields and the PAX records Stowage adds
 * (nanosecond mtime, xattrs, the sparse map's keys), in the order they were put. Names are latin1
 * strings, one char per byte of the raw name. Owner names stay empty: only numeric ids travel, so
 * extraction never depends on /etc/passwd of either host. Fields not set are zero.
 */
final class TreeEntry {
    private final String name;
    private final byte type;
    private final Map<String, String> pax = new LinkedHashMap<>();
    private int mode;
    private long userId;
    private long groupId;
    private long size;
    private long mtimeSeconds;
    private String linkName = "";
    private int devMajor;
    private int devMinor;

    TreeEntry(String name, byte type) {
        this.name = name;
        this.type = type;
    }

    String name() {
        return name;
    }

    byte type() {
        return type;
    }

    void putPax(String key, String value) {
        pax.put(key, value);
    }

    Map<String, String> pax() {
        return pax;
    }

    /**
     * The header holds whole seconds; a fraction goes into a PAX "mtime" record with all 9 digits
     * (commons-compress would keep 7).
     */
    void setMtime(long seconds, int nanos) {
        mtimeSeconds = seconds;
        if (nanos != 0 && seconds >= 0) {
            String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
            pax.put("mtime", seconds + "." + fraction);
        } else if (nanos != 0) {
            // before 1970: the decimal is seconds + fraction, e.g. -1.5 for (-2 s, 500000000 ns)
            pax.put("mtime", BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9)).toPlainString());
        }
    }

    long mtimeSeconds() {
        return mtimeSeconds;
    }

    int mode() {
        return mode;
    }

    void setMode(int mode) {
        this.mode = mode;
    }

    long userId() {
        return userId;
    }

    void setUserId(long userId) {
        this.userId = userId;
    }

    long groupId() {
        return groupId;
    }

    void setGroupId(long groupId) {
        this.groupId = groupId;
    }

    long size() {
        return size;
    }

    void setSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative entry size " + size);
        }
        this.size = size;
    }

    String linkName() {
        return linkName;
    }

    void setLinkName(String linkName) {
        this.linkName = linkName;
    }

    int devMajor() {
        return devMajor;
    }

    void setDevMajor(int devMajor) {
        this.devMajor = devMajor;
    }

    int devMinor() {
        return devMinor;
    }

    void setDevMinor(int devMinor) {
        this.devMinor = devMinor;
    }
}
