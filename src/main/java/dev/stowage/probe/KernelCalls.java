package dev.stowage.probe;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the target check needs and neither the JDK nor jna-platform has: mount(2) for the
 * overlay probe, and readdir(3) for the d_type a filesystem reports. Interface mapping: a handful
 * of calls per run, so the convenience costs nothing.
 */
interface KernelCalls extends Library {
    KernelCalls C = Native.load(Platform.C_LIBRARY_NAME, KernelCalls.class); // Main has set the search path

    int MNT_DETACH = 2;
    /** {@code struct dirent64}: d_ino (8), d_off (8), d_reclen (2), d_type (1), then the name. */
    int DIRENT_TYPE_OFFSET = 18;
    int DIRENT_NAME_OFFSET = 19;
    /** {@code DT_UNKNOWN}: the filesystem does not say; overlayfs cannot work without it. */
    byte DT_UNKNOWN = 0;

    int mount(String source, String target, String fstype, NativeLong flags, String data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    Pointer opendir(String path) throws LastErrorException;

    Pointer readdir64(Pointer dir) throws LastErrorException;

    int closedir(Pointer dir) throws LastErrorException;

    String strerror(int errnum);
}
