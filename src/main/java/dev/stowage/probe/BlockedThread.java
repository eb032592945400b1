package dev.stowage.probe;

import java.util.Set;

/**
 * A thread seen in uninterruptible sleep (state {@code D}), usually waiting for IO.
 *
 * @param wchan the kernel function it sleeps in, e.g. {@code io_schedule} or {@code iomap_dio_rw}
 * @param switches voluntary plus involuntary context switches so far: if this has not moved between
 *     two samples, the thread has been blocked the whole time
 * @param filesystems {@code MAJ:MIN} of the filesystems its process holds files open on
 */
public record BlockedThread(int pid, int tid, String comm, String wchan, long switches, Set<String> filesystems) {
    public BlockedThread {
        filesystems = Set.copyOf(filesystems);
    }

    /**
     * Whether this thread is plausibly waiting on a filesystem: its process holds files there, or it
     * is a kernel thread named after the device ({@code jbd2/loop0-8}, {@code kworker/u8:0+loop1},
     * {@code kworker/u4:1+flush-7:0}, {@code xfsaild/vda1}).
     */
    public boolean concerns(String filesystemId, BlockDevice device) {
        if (filesystems.contains(filesystemId)) {
            return true;
        }
        if (device == null) {
            return false;
        }
        return comm.contains("flush-" + device.deviceId()) || comm.contains("flush-" + device.partitionId())
                || mentions(comm, device.partition()) || mentions(comm, device.name());
    }

    private static boolean mentions(String comm, String deviceName) {
        for (int at = comm.indexOf(deviceName); at >= 0; at = comm.indexOf(deviceName, at + 1)) {
            int end = at + deviceName.length();
            boolean startsWord = at > 0 && (comm.charAt(at - 1) == '/' || comm.charAt(at - 1) == '+');
            boolean endsWord = end == comm.length() || !Character.isLetterOrDigit(comm.charAt(end));
            if (startsWord && endsWord) {
                return true;
            }
        }
        return false;
    }

    public String describe() {
        return comm + " (pid " + pid + (tid != pid ? ", tid " + tid : "") + ") in " + wchan;
    }
}
