package dev.stowage.archive;

import dev.stowage.fs.DirHandle;
import dev.stowage.fs.ErrnoException;
import dev.stowage.fs.FileStat;
import dev.stowage.fs.FileType;
import dev.stowage.fs.Names;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The open directories from the extraction root down to the current entry's parent.
 *
 * <p>Each level is opened from the one above with O_NOFOLLOW|O_DIRECTORY, so a component that is
 * a symlink (or anything but a directory) fails to open and the entry is refused: no entry can
 * reach outside the root through a symlink, even one an earlier entry made. Keeping the chain open
 * costs one openat per new directory, not one per component per entry, because archives list a
 * directory's entries together.
 *
 * <p>A directory's mtime (and its default ACL, which new children would otherwise inherit) is set
 * when the walk leaves it, after everything inside was written. That is exact for archives that
 * keep a directory's entries together, as {@link TreeWriter}'s do; an archive that comes back to a
 * directory later would move its mtime (memory stays at one frame per level, not one per directory).
 */
final class DirStack implements AutoCloseable {
    /** Metadata set once a directory's contents are complete. */
    record Pending(long mtimeSeconds, int mtimeNanos, byte[] defaultAcl) {
    }

    private static final class Frame {
        final byte[] name;
        final DirHandle dir;
        Pending pending;

        Frame(byte[] name, DirHandle dir) {
            this.name = name;
            this.dir = dir;
        }
    }

    static final String DEFAULT_ACL = "system.posix_acl_default";

    private final List<Frame> frames = new ArrayList<>();
    private final String root;

    DirStack(DirHandle rootDir, String root) {
        this.root = root;
        frames.add(new Frame(new byte[0], rootDir));
    }

    /** Opens (creating if missing, as tar does) the directory made of {@code components}. */
    DirHandle enter(List<byte[]> components, int count, String entry) throws IOException {
        int common = 0;
        while (common < count && common + 1 < frames.size()
                && Arrays.equals(frames.get(common + 1).name, components.get(common))) {
            common++;
        }
        while (frames.size() > common + 1) {
            leave();
        }
        for (int i = common; i < count; i++) {
            DirHandle parent = top();
            byte[] name = components.get(i);
            frames.add(new Frame(name, open(parent, name, components, i + 1, entry)));
        }
        return top();
    }

    /**
     * Opens or makes directory {@code name} for a directory entry. Whatever else an earlier entry
     * left under that name (a file, a symlink) is replaced: unlinkat never follows it.
     */
    DirHandle enterAsEntry(List<byte[]> components, String entry) throws IOException {
        int count = components.size();
        if (count == 0) {
            enter(components, 0, entry);
            return top();
        }
        DirHandle parent = enter(components, count - 1, entry);
        byte[] name = components.get(count - 1);
        try {
            parent.createDir(name, 0700);
        } catch (ErrnoException e) {
            if (!e.isExists()) {
                throw e;
            }
            if (parent.stat(name).type() != FileType.DIRECTORY) {
                parent.remove(name, false);
                parent.createDir(name, 0700);
            }
        }
        return enter(components, count, entry);
    }

    void setPending(Pending pending) {
        frames.get(frames.size() - 1).pending = pending;
    }

    DirHandle top() {
        return frames.get(frames.size() - 1).dir;
    }

    private DirHandle open(DirHandle parent, byte[] name, List<byte[]> components, int depth, String entry)
            throws IOException {
        try {
            return parent.openDir(name);
        } catch (ErrnoException e) {
            if (!e.isNotFound()) {
                throw refusal(parent, name, components, depth, entry, e);
            }
        }
        try {
            parent.createDir(name, 0755);
        } catch (ErrnoException e) {
            if (!e.isExists()) {
                throw e;
            }
        }
        try {
            return parent.openDir(name);
        } catch (ErrnoException e) {
            throw refusal(parent, name, components, depth, entry, e);
        }
    }

    private IOException refusal(DirHandle parent, byte[] name, List<byte[]> components, int depth, String entry,
            ErrnoException cause) {
        if (!cause.isSymlinkLoop() && !cause.isNotDirectory()) {
            return cause;
        }
        String through = Names.display(EntryPath.join(components, depth));
        String what = "something that is not a directory";
        try {
            if (parent.stat(name).type() == FileType.SYMLINK) {
                what = "a symlink";
            }
        } catch (ErrnoException ignored) {
            // the refusal stands whatever the second look says
        }
        throw new UnsafeEntryException(entry, "its path goes through '" + through + "', which is " + what, root);
    }

    /** Opens an existing directory without touching the chain (for a hardlink's target). */
    DirHandle openExisting(List<byte[]> components, int count, String entry) throws IOException {
        DirHandle current = frames.get(0).dir;
        DirHandle opened = null;
        try {
            for (int i = 0; i < count; i++) {
                DirHandle next;
                try {
                    next = current.openDir(components.get(i));
                } catch (ErrnoException e) {
                    if (e.isNotFound()) {
                        throw new UnsafeEntryException(entry, "its hardlink target's directory '"
                                + Names.display(EntryPath.join(components, i + 1)) + "' is not in the archive", root);
                    }
                    throw refusal(current, components.get(i), components, i + 1, entry, e);
                }
                if (opened != null) {
                    opened.close();
                }
                opened = next;
                current = next;
            }
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            throw e;
        }
        return opened; // null: the root itself, which the caller must not close
    }

    DirHandle root() {
        return frames.get(0).dir;
    }

    private void leave() throws IOException {
        Frame frame = frames.remove(frames.size() - 1);
        try {
            finish(frame);
        } finally {
            if (!frames.isEmpty()) {
                frame.dir.close(); // the root handle belongs to the caller
            }
        }
    }

    private static void finish(Frame frame) throws IOException {
        Pending pending = frame.pending;
        if (pending != null) {
            if (pending.defaultAcl() != null) {
                frame.dir.setXattr(DEFAULT_ACL, pending.defaultAcl());
            }
            frame.dir.setMtime(pending.mtimeSeconds(), pending.mtimeNanos());
        }
    }

    /** Leaves every directory, the root last, so their mtimes are final. */
    void finishAll() throws IOException {
        while (!frames.isEmpty()) {
            leave();
        }
    }

    @Override
    public void close() {
        while (frames.size() > 1) {
            frames.remove(frames.size() - 1).dir.close();
        }
    }
}
