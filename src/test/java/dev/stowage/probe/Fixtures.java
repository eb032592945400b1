package dev.stowage.probe;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Small hand-made values for rule tests. */
final class Fixtures {
    static final BlockDevice LOOP1 = new BlockDevice("loop1", "7:1", "loop1", "7:1");

    private Fixtures() {
    }

    static Target target(String mountPoint, String deviceId, BlockDevice device) {
        String[] mm = deviceId.split(":");
        MountEntry mount = new MountEntry(50, 27, Integer.parseInt(mm[0]), Integer.parseInt(mm[1]), "/",
                Path.of(mountPoint), Set.of("rw"), "ext4", "/dev/" + (device == null ? "x" : device.name()),
                Set.of("rw"));
        return new Target(List.of(Path.of(mountPoint)), Path.of(mountPoint), mount, Optional.ofNullable(device));
    }

    static Target loop1() {
        return target("/mnt/inner", "7:1", LOOP1);
    }

    static Snapshot threads(double seconds, BlockedThread... blocked) {
        Map<Integer, BlockedThread> byTid = new HashMap<>();
        for (BlockedThread t : blocked) {
            byTid.put(t.tid(), t);
        }
        return new Snapshot((long) (seconds * 1e9), Optional.empty(), Map.of(), byTid);
    }

    static BlockedThread thread(int tid, String comm, long switches, String... filesystems) {
        return new BlockedThread(tid, tid, comm, "iomap_dio_rw", switches, Set.of(filesystems));
    }
}
