package io.infergate.gateway.proxy;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Unique request ids: a random prefix per gateway process and a counter, e.g. {@code 3f9a1c2e-1b}. */
public final class RequestIds {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public RequestIds() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.prefix = HexFormat.of().formatHex(random) + "-";
    }

    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
