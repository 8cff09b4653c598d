package io.infergate.loadgen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many files (sockets included) a process may open here: the hard limit every child inherits and
 * cannot raise without privileges. A proxy holds two sockets per proxied connection (client and
 * upstream), so it bounds how many connections a proxy can be asked to hold.
 *
 * <pre>{@code
 * int clients = OpenFileLimit.proxyConnections(10_000);   // 8 976 under a 20 000 limit
 * }</pre>
 */
public final class OpenFileLimit {

    /** Descriptors kept aside for listeners, logs, libraries and the like. */
    static final int RESERVED = 1024;
    private static final long FALLBACK = 4096;

    private OpenFileLimit() {
    }

    /** The hard limit on open files, from {@code /proc/self/limits}; 4096 when it cannot be read. */
    public static long hard() {
        try {
            return parseHard(Files.readAllLines(Path.of("/proc/self/limits")));
        } catch (IOException e) {
            return FALLBACK;
        }
    }

    /**
     * The client connections a proxy can hold at once here, at most {@code wanted}: each takes a second
     * descriptor upstream, and the proxy also keeps up to {@link ProxyConfigs#UPSTREAM_KEEPALIVE} idle
     * upstream connections.
     */
    public static int proxyConnections(int wanted) {
        return (int) Math.max(1, Math.min(wanted, (hard() - RESERVED - ProxyConfigs.UPSTREAM_KEEPALIVE) / 2));
    }

    static long parseHard(List<String> limits) {
        for (String line : limits) {
            if (line.startsWith("Max open files")) {
                String[] cells = line.substring("Max open files".length()).strip().split("\\s+");
                return cells[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(cells[1]);
            }
        }
        return FALLBACK;
    }
}
