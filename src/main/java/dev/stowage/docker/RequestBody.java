package dev.stowage.docker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A request body that writes itself to the daemon's socket, so that file content can go with
 * {@code FileChannel.transferTo} (sendfile: no copy through the JVM) rather than be read into the
 * heap and written out again. Its length is known up front and sent as {@code Content-Length}.
 */
public interface RequestBody {
    /** The exact number of bytes {@link #writeTo} writes. */
    long length();

    /**
     * Writes exactly {@link #length()} bytes to {@code socket}, calling {@code moved} after each
     * piece: the sign of life that keeps the idle watchdog from hanging up on a slow upload.
     *
     * @throws IOException when the socket fails (the daemon went away, or answered early)
     * @throws java.io.UncheckedIOException when the content cannot be read; that, and any other
     *     runtime exception, is the content's failure, not the daemon's
     */
    void writeTo(WritableByteChannel socket, Runnable moved) throws IOException;

    /** A body held in memory. */
    static RequestBody of(byte[] bytes) {
        return new RequestBody() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void writeTo(WritableByteChannel socket, Runnable moved) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    socket.write(buffer);
                    moved.run();
                }
            }
        };
    }
}
