package org.popbridge.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An upstream that never gets past its greeting: it sends one fixed line (e.g. "-ERR busy")
 * or nothing at all and closes, and records every line a client sends it afterwards.
 */
public final class FixedGreetingServer implements AutoCloseable {

    private final ServerSocket serverSocket;
    private final String greeting;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<String> linesReceived = new CopyOnWriteArrayList<>();

    /** {@code greeting} without CRLF; null closes each connection at once without a greeting. */
    public FixedGreetingServer(String greeting) throws IOException {
        this.greeting = greeting;
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Lines received after the greeting, from all connections. */
    public List<String> linesReceived() {
        return List.copyOf(linesReceived);
    }

    /** A loopback port on which nothing listens (bound, then released). */
    public static int unusedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                connections.add(socket);
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            if (greeting == null) {
                return;
            }
            socket.getOutputStream().write((greeting + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    linesReceived.add(line.toString(StandardCharsets.ISO_8859_1).replace("\r", ""));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            // The proxy went away: the end of this connection.
        } finally {
            connections.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : connections) {
            socket.close();
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
