package io.infergate.loadgen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Asks the OS for a free loopback port, for child processes that need a port number in their config.
 * Another process could take it before the child binds it; the child then fails to start and says so.
 */
public final class FreePorts {

    private FreePorts() {
    }

    public static int loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
        }
    }
}
