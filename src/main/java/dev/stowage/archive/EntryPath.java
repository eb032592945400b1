package dev.stowage.archive;

import dev.stowage.fs.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lexical check of an entry name: its components below the root, or a refusal. Absolute names
 * and ".." components are refused outright; "." and empty components are dropped. Symlinks are
 * the other way out, and {@link DirStack} closes that one while opening the components.
 */
final class EntryPath {
    private EntryPath() {
    }

    /** The components of {@code latin1Name}; empty for the root ("./"). */
    static List<byte[]> components(String latin1Name, String entry, String root) {
        byte[] name = Names.bytes(latin1Name);
        if (name.length == 0) {
            throw new UnsafeEntryException(entry, "it has an empty name", root);
        }
        if (name[0] == '/') {
            throw new UnsafeEntryException(entry, "'" + Names.display(latin1Name) + "' is an absolute path", root);
        }
        List<byte[]> components = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= name.length; i++) {
            if (i < name.length && name[i] != '/') {
                continue;
            }
            byte[] part = Arrays.copyOfRange(name, start, i);
            start = i + 1;
            if (part.length == 0 || (part.length == 1 && part[0] == '.')) {
                continue;
            }
            if (part.length == 2 && part[0] == '.' && part[1] == '.') {
                throw new UnsafeEntryException(entry, "'" + Names.display(latin1Name)
                        + "' climbs out of the root with '..'", root);
            }
            components.add(part);
        }
        return components;
    }

    static String join(List<byte[]> components, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(Names.latin1(components.get(i)));
        }
        return out.toString();
    }
}
