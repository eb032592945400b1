package dev.stowage.docker;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The Engine API's two long streams, spoken straight to the daemon's socket: the load tar going
 * up ({@link #post}, written by its {@link RequestBody}, blob content by sendfile) and the save tar
 * coming down ({@link #get}), read 1 MiB at a time. docker-java's transport copies a request body
 * 4 KiB at a time (a chunk, a write system call and a JNA call per 4 KiB: 221,000 writes for a
 * 1.1 GiB load) and reads an answer 8-16 KiB at a time; for a 20 GB host that is millions of
 * calls, beside an engine that is CPU-bound itself while it loads.
 *
 * <p>HTTP/1.1 with {@code Connection: close}, a request body of known {@code Content-Length}. The
 * answer to an upload is read after the whole body is written, as the engine writes nothing before
 * it has read the whole tar. A watchdog closes the socket when nothing has moved either way for
 * {@link #IDLE_LIMIT}.
 */
final class BulkStream implements AutoCloseable {
    static final Duration IDLE_LIMIT = Duration.ofHours(2);
    private static final int MAX_HEAD = 64 * 1024;
    private static final int READ_BUFFER = 1 << 20;

    private final SocketChannel channel;
    private final Thread watchdog;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean closed;
    private int status;
    private InputStream body;

    private BulkStream(SocketChannel channel, Duration idleLimit) {
        this.channel = channel;
        this.watchdog = new Thread(() -> watch(idleLimit), "stowage-upload-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * POSTs {@code content} to {@code path} (with its API version prefix) and reads the status
     * line and headers of the answer; {@link #status()} and {@link #body()} give the rest.
     *
     * @throws StowageException exit code 5 when the daemon cannot be reached or breaks off without
     *     an answer; exit code 6 when {@code content} itself cannot be read (the caller knows why).
     *     Any other runtime exception of the content's passes through.
     */
    static BulkStream post(DockerHost host, String path, String contentType, RequestBody content, String call) {
        return post(host, path, contentType, content, call, IDLE_LIMIT);
    }

    static BulkStream post(DockerHost host, String path, String contentType, RequestBody content, String call,
            Duration idleLimit) {
        BulkStream upload = new BulkStream(open(host, call), idleLimit);
        try {
            upload.send(host, path, contentType, content, call);
            return upload;
        } catch (RuntimeException e) {
            upload.close();
            throw e;
        }
    }

    /**
     * GETs {@code path} (with its API version prefix) and reads the status line and headers of the
     * answer; the caller reads {@link #body()} and closes this.
     *
     * @throws StowageException exit code 5 when the daemon cannot be reached or gives no answer
     */
    static BulkStream get(DockerHost host, String path, String call) {
        BulkStream download = new BulkStream(open(host, call), IDLE_LIMIT);
        try {
            download.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + authority(host)
                    + "\r\nUser-Agent: stowage\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            download.readHead();
            return download;
        } catch (IOException e) {
            download.close();
            throw DaemonErrors.failed(call, e);
        } catch (RuntimeException e) {
            download.close();
            throw e;
        }
    }

    private static String authority(DockerHost host) {
        return host.isUnix() ? "docker" : host.uri().getHost() + ":" + host.uri().getPort();
    }

    private static SocketChannel open(DockerHost host, String call) {
        try {
            if (host.isUnix()) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(host.socket()));
                return channel;
            }
            SocketChannel channel = SocketChannel.open();
            channel.socket().connect(new InetSocketAddress(host.uri().getHost(), host.uri().getPort()), 10_000);
            return channel;
        } catch (IOException e) {
            throw DaemonErrors.failed(call, e);
        }
    }

    private void send(DockerHost host, String path, String contentType, RequestBody content, String call) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + authority(host) + "\r\nUser-Agent: stowage\r\n"
                + "Content-Type: " + contentType + "\r\nContent-Length: " + content.length()
                + "\r\nConnection: close\r\n\r\n";
        IOException broken = null;
        try {
            write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            content.writeTo(channel, () -> lastActivity = System.nanoTime());
        } catch (UncheckedIOException e) {
            throw new StowageException(ExitCode.VERIFY, "cannot read what " + call + " sends: "
                    + e.getCause().getMessage(), "check the disk that holds the migration directory", e.getCause());
        } catch (IOException e) {
            broken = e; // the daemon may have answered early (a refusal): read that before giving up
        }
        try {
            readHead();
        } catch (IOException e) {
            throw DaemonErrors.failed(call, broken != null ? broken : e);
        }
    }

    private void write(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
            lastActivity = System.nanoTime();
        }
    }

    private void readHead() throws IOException {
        InputStream in = new BufferedInputStream(new Activity(Channels.newInputStream(channel)), READ_BUFFER);
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("the daemon answered '" + statusLine + "', not HTTP");
        }
        status = Integer.parseInt(parts[1]);
        boolean chunked = false;
        long length = -1;
        for (String header; !(header = line(in)).isEmpty(); ) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("content-length")) {
                length = Long.parseLong(value);
            }
        }
        body = chunked ? new Dechunked(in) : length >= 0 ? new Bounded(in, length) : in;
    }

    /** One CRLF-terminated line of the answer's head (an EOF before it is an error). */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("the daemon closed the connection without a complete answer");
            }
            if (line.size() >= MAX_HEAD) {
                throw new IOException("the daemon's answer has a line longer than " + MAX_HEAD + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    int status() {
        return status;
    }

    /** The answer's body, de-chunked. */
    InputStream body() {
        return body;
    }

    private void watch(Duration idleLimit) {
        long limit = idleLimit.toNanos();
        long tick = Math.max(1, Math.min(1000, idleLimit.toMillis() / 4));
        while (!closed) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed && System.nanoTime() - lastActivity > limit) {
                close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that is left to do with this socket
        }
    }

    /** Counts every read as activity for the watchdog. */
    private final class Activity extends java.io.FilterInputStream {
        Activity(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            lastActivity = System.nanoTime();
            return n;
        }
    }

    /**
     * An answer's body read from the head's buffer: single bytes by way of the array read. Closing
     * it leaves the socket alone: {@link BulkStream#close()} closes that.
     */
    private abstract static class Body extends InputStream {
        final InputStream in;

        Body(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body of known length. */
    static final class Bounded extends Body {
        private long left;

        Bounded(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the daemon's answer ended " + left + " bytes early");
            }
            left -= n;
            return n;
        }
    }

    /** A {@code Transfer-Encoding: chunked} body. */
    static final class Dechunked extends Body {
        private long left;
        private boolean done;

        Dechunked(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left == 0 && !nextChunk()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the daemon's answer ended inside a chunk");
            }
            left -= n;
            if (left == 0) {
                line(in); // the CRLF after the chunk's data
            }
            return n;
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            String size = line(in);
            int semicolon = size.indexOf(';');
            left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (left == 0) {
                done = true;
                while (!line(in).isEmpty()) {
                    // trailers: none that matter here
                }
                return false;
            }
            return true;
        }
    }
}
