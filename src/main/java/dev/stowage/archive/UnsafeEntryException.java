package dev.stowage.archive;

import dev.stowage.fs.Names;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;

/**
 * An archive entry that would land outside its extraction root, or that the caller did not allow
 * (a device node). The whole archive is refused; nothing outside the root was written.
 */
public final class UnsafeEntryException extends StowageException {
    private static final long serialVersionUID = 1L;

    private final String entry;

    UnsafeEntryException(String latin1Entry, String reason, String root) {
        super(ExitCode.VERIFY, "refusing the archive at entry '" + Names.display(latin1Entry) + "': " + reason,
                "the archive is damaged or was made to write outside its root; nothing outside " + root
                        + " was changed. Export the data again from the source host and retry the import");
        this.entry = Names.display(latin1Entry);
    }

    /** The refused entry's name, for reports. */
    public String entry() {
        return entry;
    }
}
