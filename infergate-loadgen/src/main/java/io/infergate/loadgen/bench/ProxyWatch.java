package io.infergate.loadgen.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches a proxy process during a measured run: its CPU time from start to stop, and the largest
 * resident memory seen, sampled every 200 ms.
 *
 * <pre>{@code
 * ProxyWatch watch = ProxyWatch.start(nginx.handle());
 * ... run ...
 * ProxyWatch.Usage usage = watch.stop();
 * }</pre>
 */
final class ProxyWatch {

    /** CPU used between start and stop, and the largest resident memory seen. */
    record Usage(long cpuNanos, long maxRssBytes) {
    }

    private final ProcessHandle process;
    private final long cpuAtStart;
    private final AtomicLong maxRss = new AtomicLong();
    private final ScheduledExecutorService sampler;

    private ProxyWatch(ProcessHandle process) {
        this.process = process;
        ProcessUsage first = ProcessUsage.of(process);
        this.cpuAtStart = first.cpuNanos();
        maxRss.set(first.rssBytes());
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-proxy-watch");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> maxRss.accumulateAndGet(ProcessUsage.of(process).rssBytes(), Math::max),
                200, 200, TimeUnit.MILLISECONDS);
    }

    static ProxyWatch start(ProcessHandle process) {
        return new ProxyWatch(process);
    }

    Usage stop() {
        sampler.shutdownNow();
        ProcessUsage last = ProcessUsage.of(process);
        return new Usage(last.cpuNanos() - cpuAtStart, Math.max(maxRss.get(), last.rssBytes()));
    }
}
