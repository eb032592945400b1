package dev.stowage.archive;

import dev.stowage.fs.FileHandle;
import dev.stowage.fs.FileStat;
import dev.stowage.fs.FileType;
import dev.stowage.fs.NativeBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A quick estimate of the archive {@link TreeWriter} would make of a tree, and of its size once
 * compressed, from one walk that stats every inode and reads only samples.
 *
 * <p>The uncompressed size follows TreeWriter's format: a 512-byte header per entry, a PAX record
 * block (1 KiB) for entries with a sub-second mtime, a GNU long-name record for names or link
 * targets over 100 bytes, file data rounded up to 512 bytes (a sparse file's allocated blocks, not
 * its holes), nothing more for a further hardlink, and the end-of-archive blocks. Extended
 * attributes are not read, so their PAX records are left out (a few hundred bytes per file that has any).
 *
 * <p>The compressed size applies ratios: headers and padding compress to about {@value #HEADER_RATIO_PERCENT} %
 * (measured with zstd -3 on tars of headers only: 1 to 2 %; where large files sit between headers
 * the headers compress less, but then they are a negligible part of the archive), and data by the ratio measured
 * on samples: {@value #SAMPLE} bytes at evenly spaced byte offsets through the tree's data, compressed
 * in batches with the same codec and level. The spacing starts at every {@value #SAMPLE} bytes and
 * widens fourfold each time {@value #LEVEL_BUDGET} bytes were sampled at one spacing, so at most a few
 * tens of MiB are read however large the tree; batches are weighted by their spacing, so the early
 * part of the tree does not dominate.
 *
 * @param entries archive entries, root included
 * @param dataBytes file data as archived (holes excluded)
 * @param headerBytes headers, PAX and long-name records, the padding of data to 512-byte blocks, and the
 *     end-of-archive blocks
 * @param weightedSample sampled data bytes, each batch weighted by its spacing
 * @param weightedCompressed their compressed length, weighted the same way
 * @param sampledBytes bytes actually read for samples
 */
public record TreeEstimate(long entries, long dataBytes, long headerBytes, double weightedSample,
        double weightedCompressed, long sampledBytes) {
    static final int SAMPLE = 64 << 10;
    static final long LEVEL_BUDGET = 2L << 20;
    static final int HEADER_RATIO_PERCENT = 2;
    private static final int BLOCK = 512;
    private static final int END_OF_ARCHIVE = 1024;

    public static final TreeEstimate EMPTY = new TreeEstimate(0, 0, 0, 0, 0, 0);

    /** The archive's length before compression. */
    public long archiveBytes() {
        return dataBytes + headerBytes;
    }

    /** The compressed-to-raw ratio of the data samples; 1 when nothing was sampled. */
    public double dataRatio() {
        return weightedSample <= 0 ? 1.0 : weightedCompressed / weightedSample;
    }

    /** The blob's estimated length as stored with {@code compression}. */
    public long storedBytes(Compression compression) {
        if (compression == Compression.NONE) {
            return archiveBytes();
        }
        return Math.round(dataBytes * dataRatio() + headerBytes * HEADER_RATIO_PERCENT / 100.0);
    }

    /** Two trees' estimates as one: counts add, samples pool. */
    public TreeEstimate plus(TreeEstimate other) {
        return new TreeEstimate(entries + other.entries, dataBytes + other.dataBytes, headerBytes + other.headerBytes,
                weightedSample + other.weightedSample, weightedCompressed + other.weightedCompressed,
                sampledBytes + other.sampledBytes);
    }

    /** Walks {@code root} (never following a symlink) and samples its data for {@code compression}. */
    public static TreeEstimate of(Path root, Compression compression) throws IOException {
        try (Walker walker = new Walker(compression)) {
            TreeWalk.walk(root, walker::visit);
            return walker.finish();
        }
    }

    static long headerBytes(byte[] path, FileStat stat, int linkTargetLength) {
        long bytes = BLOCK;
        if (stat.mtimeNanos() != 0) {
            bytes += 2 * BLOCK;
        }
        int nameLength = path.length + 2 + (stat.type() == FileType.DIRECTORY ? 1 : 0); // "./" and a trailing '/'
        if (nameLength > 100) {
            bytes += BLOCK + round(nameLength + 1);
        }
        if (linkTargetLength > 100) {
            bytes += BLOCK + round(linkTargetLength + 1);
        }
        return bytes;
    }

    static long round(long bytes) {
        return (bytes + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** The walk's state: counts, and the sampler. */
    private static final class Walker implements AutoCloseable {
        private final Compression compression;
        private final NativeBuffer buffer = new NativeBuffer(SAMPLE);
        private final byte[] batch = new byte[(int) LEVEL_BUDGET];
        private final Set<FileStat.InodeKey> linked = new HashSet<>();
        private long entries;
        private long data;
        private long headers = END_OF_ARCHIVE;
        private long position;
        private long spacing = SAMPLE;
        private long nextSample;
        private long sampleLeft;
        private long sampledAtSpacing;
        private int batchLength;
        private double weightedSample;
        private double weightedCompressed;
        private long sampled;

        Walker(Compression compression) {
            this.compression = compression;
        }

        void visit(TreeNode node) throws IOException {
            FileStat stat = node.stat();
            if (stat.type() == FileType.SOCKET) {
                return;
            }
            entries++;
            int target = stat.type() == FileType.SYMLINK ? (int) stat.size() : 0;
            headers += headerBytes(node.path(), stat, target);
            if (stat.type() != FileType.REGULAR || stat.size() == 0) {
                return;
            }
            if (stat.nlink() > 1 && !linked.add(stat.inodeKey())) {
                return; // a further name of an inode already counted: a header only
            }
            boolean sparse = stat.mayBeSparse();
            long stored = sparse ? Math.min(stat.size(), stat.blocks() * 512) + BLOCK : stat.size();
            data += stored;
            headers += round(stored) - stored; // zero padding: it compresses like the headers, to almost nothing
            if (compression != Compression.NONE && !sparse) {
                sample(node, stat.size());
            }
        }

        /**
         * Reads the samples that fall into this file's stretch of the tree's data. A sample is a run of
         * {@value TreeEstimate#SAMPLE} bytes of the data as the archive will carry it, so a sample that
         * starts near the end of a small file carries on into the next ones, as the compressor sees them.
         */
        private void sample(TreeNode node, long size) throws IOException {
            long start = position;
            position += size;
            if (sampleLeft == 0 && nextSample >= position) {
                return;
            }
            try (FileHandle file = node.open()) {
                long offset = 0;
                while (offset < size) {
                    if (sampleLeft == 0) {
                        if (nextSample >= position) {
                            return;
                        }
                        offset = Math.max(offset, nextSample - start);
                        sampleLeft = SAMPLE;
                        nextSample += spacing;
                    }
                    int n = file.read(buffer, (int) Math.min(sampleLeft, size - offset), offset);
                    if (n == 0) {
                        return; // shrank since the stat
                    }
                    add(n);
                    sampleLeft -= n;
                    offset += n;
                }
            }
        }

        private void add(int n) {
            if (batchLength + n > batch.length) {
                flush();
            }
            System.arraycopy(buffer.array(), 0, batch, batchLength, n);
            batchLength += n;
            sampled += n;
            sampledAtSpacing += n;
            if (sampledAtSpacing >= LEVEL_BUDGET) {
                flush();
                spacing *= 4;
                sampledAtSpacing = 0;
            }
        }

        private void flush() {
            if (batchLength > 0) {
                weightedSample += (double) batchLength * spacing;
                weightedCompressed += (double) compression.compressedSize(batch, batchLength) * spacing;
                batchLength = 0;
            }
        }

        TreeEstimate finish() {
            flush();
            return new TreeEstimate(entries, data, headers, weightedSample, weightedCompressed, sampled);
        }

        @Override
        public void close() {
            buffer.close();
        }
    }
}
