package dev.stowage.fs;

/** The kind of inode, from the S_IFMT bits of st_mode. */
public enum FileType {
    REGULAR, DIRECTORY, SYMLINK, FIFO, CHAR_DEVICE, BLOCK_DEVICE, SOCKET;

    static FileType fromMode(int mode) {
        switch (mode & 0170000) {
            case 0100000:
                return REGULAR;
            case 0040000:
                return DIRECTORY;
            case 0120000:
                return SYMLINK;
            case 0010000:
                return FIFO;
            case 0020000:
                return CHAR_DEVICE;
            case 0060000:
                return BLOCK_DEVICE;
            case 0140000:
                return SOCKET;
            default:
                throw new IllegalArgumentException("unknown file type in mode " + Integer.toOctalString(mode));
        }
    }

    public boolean isDevice() {
        return this == CHAR_DEVICE || this == BLOCK_DEVICE;
    }
}
