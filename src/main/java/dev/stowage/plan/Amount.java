package dev.stowage.plan;

/** How many things, how many bytes and how many inodes: one line of an estimate before it has a place. */
public record Amount(long count, long bytes, long inodes) {
    public static final Amount NONE = new Amount(0, 0, 0);

    public Amount {
        if (count < 0 || bytes < 0 || inodes < 0) {
            throw new IllegalArgumentException("negative amount: " + count + ", " + bytes + ", " + inodes);
        }
    }

    public Amount plus(Amount other) {
        return new Amount(count + other.count, bytes + other.bytes, inodes + other.inodes);
    }
}
