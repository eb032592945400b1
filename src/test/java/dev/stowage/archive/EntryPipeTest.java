package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class EntryPipeTest {

    @Test
    void theWriterSeesEveryEntryAndByteInOrderWhateverTheChunkBoundaries() throws IOException {
        Random random = new Random(7);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[random.nextInt(10) == 0 ? random.nextInt(3 * EntryPipe.CHUNK) : random.nextInt(5000)];
            random.nextBytes(data);
            sent.add(data);
        }
        Recorder sink = new Recorder();
        EntryPipe.run(pipe -> {
            for (int i = 0; i < sent.size(); i++) {
                String name = "./f" + i;
                pipe.begin(() -> new TreeEntry(name, TarConstants.LF_NORMAL));
                byte[] data = sent.get(i);
                for (int done = 0; done < data.length; ) { // as TreeWriter copies: into the batch's own array
                    int n = Math.min(pipe.room(), data.length - done);
                    System.arraycopy(data, done, pipe.array(), pipe.position(), n);
                    pipe.filled(n);
                    done += n;
                }
                pipe.end();
            }
        }, sink);
        assertEquals(sent.size(), sink.names.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals("./f" + i, sink.names.get(i));
            assertArrayEquals(sent.get(i), sink.contents.get(i), "content of entry " + i);
        }
    }

    @Test
    void aReadingFailureReachesTheCallerAsItWasThrown() {
        IOException failure = new IOException("statx: permission denied");
        Recorder sink = new Recorder();
        IOException thrown = assertThrows(IOException.class, () -> EntryPipe.run(pipe -> {
            pipe.begin(() -> new TreeEntry("./ok", TarConstants.LF_DIR));
            pipe.end();
            throw failure;
        }, sink));
        assertSame(failure, thrown);
    }

    @Test
    void aWritingFailureStopsTheReaderBeforeItIsRethrown() {
        AtomicBoolean readerEnded = new AtomicBoolean();
        IOException full = new IOException("No space left on device");
        EntryPipe.Sink failing = new Recorder() {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                throw full;
            }
        };
        IOException thrown = assertThrows(IOException.class, () -> EntryPipe.run(pipe -> {
            try {
                for (int i = 0; ; i++) { // endless: only the writer's failure can stop it
                    pipe.begin(() -> new TreeEntry("./f", TarConstants.LF_NORMAL));
                    pipe.filled(Math.min(pipe.room(), 4096));
                    pipe.end();
                }
            } finally {
                readerEnded.set(true);
            }
        }, failing));
        assertSame(full, thrown);
        assertTrue(readerEnded.get(), "the reading thread was still running when run() returned");
    }

    /** Collects names and contents. */
    private static class Recorder implements EntryPipe.Sink {
        final List<String> names = new ArrayList<>();
        final List<byte[]> contents = new ArrayList<>();
        private ByteArrayOutputStream current;

        @Override
        public void begin(TreeEntry entry) {
            names.add(entry.name());
            current = new ByteArrayOutputStream();
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            current.write(bytes, offset, length);
        }

        @Override
        public void end() {
            contents.add(current.toByteArray());
        }
    }
}
