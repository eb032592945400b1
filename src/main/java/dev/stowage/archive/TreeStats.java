package dev.stowage.archive;

import java.util.List;

/**
 * What one archive or extraction of a tree covered.
 *
 * @param entries archive entries, the root directory included
 * @param contentBytes bytes of file data, holes excluded
 * @param sparseFiles files carried with a sparse map
 * @param hardlinks entries that are a further name of an earlier inode
 * @param socketsSkipped sockets, which tar formats cannot hold (a service recreates them)
 * @param changedWhileRead files whose size changed while they were read (a live tree; at most
 *     {@link #MAX_CHANGED} names, for a warning)
 */
public record TreeStats(long entries, long contentBytes, long sparseFiles, long hardlinks, long socketsSkipped,
        List<String> changedWhileRead) {
    public static final int MAX_CHANGED = 20;

    public TreeStats {
        changedWhileRead = List.copyOf(changedWhileRead);
    }
}
