package io.infergate.core.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when a test says so. Shared with other modules through the core test-jar. */
public final class FakeTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
        return nanos.get();
    }

    public FakeTicker advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        return this;
    }

    public FakeTicker advanceMillis(long millis) {
        return advance(Duration.ofMillis(millis));
    }
}
