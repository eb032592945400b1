package dev.stowage.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upload against a small HTTP/1.1 server on a unix socket: what it sends, and how it reads answers. */
class BulkStreamTest {
    @TempDir
    Path tmp;
    private ServerSocketChannel server;
    private DockerHost host;

    @BeforeEach
    void listen() throws IOException {
        Path socket = tmp.resolve("d.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        host = DockerHost.parse("unix://" + socket);
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** Serves one connection on a background thread: {@code handler} gets the request and the answer stream. */
    private CompletableFuture<Void> serve(BiConsumer<InputStream, OutputStream> handler) {
        return CompletableFuture.runAsync(() -> {
            try (SocketChannel client = server.accept()) {
                handler.accept(Channels.newInputStream(client), Channels.newOutputStream(client));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static String head(InputStream in) {
        try {
            StringBuilder head = new StringBuilder();
            for (String line; !(line = BulkStream.line(in)).isEmpty(); ) {
                head.append(line).append('\n');
            }
            return head.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void sendsTheBodyWithItsLengthAndReadsAChunkedAnswer() throws Exception {
        byte[] body = new byte[(3 << 20) + 12345];
        new Random(1).nextBytes(body);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        StringBuilder requestHead = new StringBuilder();
        CompletableFuture<Void> served = serve((in, out) -> {
            requestHead.append(head(in));
            try {
                received.write(in.readNBytes(body.length));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            answer(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1b\r\n{\"stream\":\"Loaded image: \"}\r\n" + "13\r\n{\"stream\":\"a:1\\n\"}\n\r\n0\r\n\r\n");
        });
        try (BulkStream upload = BulkStream.post(host, "/v1.41/images/load?quiet=0", "application/x-tar",
                RequestBody.of(body), "docker load")) {
            assertEquals(200, upload.status());
            String answer = new String(upload.body().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("{\"stream\":\"Loaded image: \"}{\"stream\":\"a:1\\n\"}\n", answer);
        }
        served.get(10, TimeUnit.SECONDS);
        assertArrayEquals(body, received.toByteArray());
        String request = requestHead.toString();
        assertTrue(request.startsWith("POST /v1.41/images/load?quiet=0 HTTP/1.1\n"), request);
        assertTrue(request.contains("Content-Length: " + body.length + "\n"), request);
        assertTrue(request.contains("Content-Type: application/x-tar\n"), request);
    }

    @Test
    void aSlowBodyThatKeepsMovingOutlastsTheWatchdog() throws Exception {
        CompletableFuture<Void> served = serve((in, out) -> {
            head(in);
            try {
                in.readNBytes(6);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            answer(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        });
        RequestBody slow = new RequestBody() {
            @Override
            public long length() {
                return 6;
            }

            @Override
            public void writeTo(WritableByteChannel socket, Runnable moved) throws IOException {
                for (int i = 0; i < 6; i++) {
                    sleep(100);
                    socket.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    moved.run();
                }
            }
        };
        try (BulkStream upload = BulkStream.post(host, "/images/load", "application/x-tar", slow, "docker load",
                Duration.ofMillis(300))) {
            assertEquals(200, upload.status(), "600 ms of upload, never 300 ms without a sign of life");
        }
        served.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anEarlyRefusalIsReadEvenThoughTheBodyWasCutOff() throws Exception {
        CompletableFuture<Void> served = serve((in, out) -> {
            head(in);
            answer(out, "HTTP/1.1 400 Bad Request\r\nContent-Length: 28\r\n\r\n{\"message\":\"bad tar header\"}");
        });
        RequestBody endless = new RequestBody() {
            @Override
            public long length() {
                return Long.MAX_VALUE;
            }

            @Override
            public void writeTo(WritableByteChannel socket, Runnable moved) throws IOException {
                while (true) {
                    socket.write(ByteBuffer.allocate(64 * 1024));
                }
            }
        };
        try (BulkStream upload = BulkStream.post(host, "/images/load", "application/x-tar", endless, "docker load")) {
            assertEquals(400, upload.status());
            assertEquals("{\"message\":\"bad tar header\"}",
                    new String(upload.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        served.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBodyThatCannotBeReadIsNotBlamedOnTheDaemon() {
        serve((in, out) -> {
            head(in);
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the client hangs up: that is the point
            }
        });
        RequestBody failing = new RequestBody() {
            @Override
            public long length() {
                return 1 << 20;
            }

            @Override
            public void writeTo(WritableByteChannel socket, Runnable moved) throws IOException {
                socket.write(ByteBuffer.allocate(3000));
                throw new java.io.UncheckedIOException(new IOException("blob sha256:abc cannot be read: EIO"));
            }
        };
        StowageException e = assertThrows(StowageException.class,
                () -> BulkStream.post(host, "/images/load", "application/x-tar", failing, "docker load"));
        assertEquals(ExitCode.VERIFY, e.exitCode());
        assertTrue(e.getMessage().contains("blob sha256:abc cannot be read"), e.getMessage());
    }

    @Test
    void aDaemonThatHangsUpWithoutAnswerIsADaemonFailure() {
        serve((in, out) -> head(in));
        StowageException e = assertThrows(StowageException.class, () -> BulkStream.post(host, "/images/load",
                "application/x-tar", RequestBody.of(new byte[10 << 20]), "docker load"));
        assertEquals(ExitCode.DAEMON, e.exitCode());
        assertTrue(e.getMessage().contains("docker load"), e.getMessage());
    }

    @Test
    void anAbsentSocketIsADaemonFailure() throws IOException {
        server.close();
        java.nio.file.Files.deleteIfExists(host.socket());
        StowageException e = assertThrows(StowageException.class, () -> BulkStream.post(host, "/images/load",
                "application/x-tar", RequestBody.of(new byte[1]), "docker load"));
        assertEquals(ExitCode.DAEMON, e.exitCode());
    }

    @Test
    void theWatchdogHangsUpOnADaemonThatNeverAnswers() {
        serve((in, out) -> {
            head(in);
            try {
                in.transferTo(OutputStream.nullOutputStream()); // reads all, never answers
            } catch (IOException ignored) {
                // closed by the client's watchdog
            }
        });
        long start = System.nanoTime();
        StowageException e = assertThrows(StowageException.class, () -> BulkStream.post(host, "/images/load",
                "application/x-tar", RequestBody.of(new byte[100]), "docker load", Duration.ofMillis(300)));
        assertEquals(ExitCode.DAEMON, e.exitCode());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the watchdog did not fire");
    }

    @Test
    void getReadsAChunkedStreamInFullAndAsksForNoBody() throws Exception {
        byte[] tar = new byte[(5 << 20) + 3];
        new Random(2).nextBytes(tar);
        StringBuilder requestHead = new StringBuilder();
        CompletableFuture<Void> served = serve((in, out) -> {
            requestHead.append(head(in));
            answer(out, "HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n");
            try {
                for (int at = 0; at < tar.length; at += 32 << 10) { // the engine's 32 KiB pieces
                    int n = Math.min(32 << 10, tar.length - at);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(tar, at, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (BulkStream download = BulkStream.get(host, "/v1.41/images/get?names=a%3A1", "docker save")) {
            assertEquals(200, download.status());
            assertArrayEquals(tar, download.body().readAllBytes());
        }
        served.get(10, TimeUnit.SECONDS);
        assertTrue(requestHead.toString().startsWith("GET /v1.41/images/get?names=a%3A1 HTTP/1.1\n"), requestHead.toString());
        assertTrue(!requestHead.toString().contains("Transfer-Encoding"), requestHead.toString());
    }

    @Test
    void getHandsBackAnErrorStatusWithItsMessage() throws Exception {
        CompletableFuture<Void> served = serve((in, out) -> {
            head(in);
            answer(out, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 38\r\n\r\n"
                    + "{\"message\":\"No such image: nope:1\"}\n\n\n");
        });
        try (BulkStream download = BulkStream.get(host, "/images/get?names=nope%3A1", "docker save")) {
            assertEquals(404, download.status());
            assertEquals("{\"message\":\"No such image: nope:1\"}\n\n\n",
                    new String(download.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        served.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTruncatedChunkedAnswerIsAnErrorNotAShortStream() throws Exception {
        serve((in, out) -> {
            head(in);
            answer(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\nonly a little");
        });
        try (BulkStream download = BulkStream.get(host, "/images/get?names=a", "docker save")) {
            assertThrows(IOException.class, () -> download.body().readAllBytes());
        }
    }
}
