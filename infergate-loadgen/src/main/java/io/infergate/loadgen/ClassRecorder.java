package io.infergate.loadgen;

import io.infergate.loadgen.client.ErrorKind;
import io.infergate.loadgen.client.Exchange;
import io.infergate.loadgen.client.Outcome;
import io.infergate.loadgen.report.ClassReport;
import io.infergate.loadgen.report.Percentiles;
import io.infergate.loadgen.scenario.Slo;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one request class measured. Event loops record into wait-free {@link Recorder}s and adders; the
 * sampling thread alone moves interval histograms into the cumulative ones.
 */
final class ClassRecorder {

    /** An hour, in microseconds: longer latencies are recorded as an hour. */
    static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    static final int DIGITS = 3;

    final String name;
    private final Slo slo;
    private final Recorder ttft = new Recorder(HIGHEST_MICROS, DIGITS);
    private final Recorder latency = new Recorder(HIGHEST_MICROS, DIGITS);
    private final Recorder itl = new Recorder(HIGHEST_MICROS, DIGITS);
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder good = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder tokens = new LongAdder();
    private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

    final Histogram ttftTotal = newHistogram();
    final Histogram latencyTotal = newHistogram();
    final Histogram itlTotal = newHistogram();
    private Histogram ttftInterval;
    private Histogram latencyInterval;
    private Histogram itlInterval;

    ClassRecorder(String name, Slo slo) {
        this.name = name;
        this.slo = slo;
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_MICROS, DIGITS);
    }

    void interTokenGap(long nanos) {
        itl.recordValue(micros(nanos));
    }

    void completed(Exchange exchange) {
        int status = exchange.outcome().status();
        if (status > 0) {
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        }
        switch (exchange.outcome()) {
            case Outcome.Ok answer -> {
                ok.increment();
                tokens.add(answer.outputTokens());
                latency.recordValue(micros(exchange.latencyNanos()));
                if (exchange.ttftNanos() >= 0) {
                    ttft.recordValue(micros(exchange.ttftNanos()));
                }
                if (slo.isMetBy(exchange.ttftNanos() < 0 ? exchange.latencyNanos() : exchange.ttftNanos(),
                        exchange.latencyNanos())) {
                    good.increment();
                }
            }
            case Outcome.Failed failure -> errors.get(failure.kind()).increment();
        }
    }

    long errors() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Moves what was recorded since the last call into the totals and into the given interval histograms. */
    void rollInterval(Histogram latencyOfInterval, Histogram ttftOfInterval) {
        latencyInterval = latency.getIntervalHistogram(latencyInterval);
        ttftInterval = ttft.getIntervalHistogram(ttftInterval);
        itlInterval = itl.getIntervalHistogram(itlInterval);
        latencyTotal.add(latencyInterval);
        ttftTotal.add(ttftInterval);
        itlTotal.add(itlInterval);
        latencyOfInterval.add(latencyInterval);
        ttftOfInterval.add(ttftInterval);
    }

    ClassReport report(double elapsedSeconds) {
        Map<String, Long> byKind = new TreeMap<>();
        errors.forEach((kind, count) -> byKind.put(kind.label(), count.sum()));
        Map<String, Long> byStatus = new TreeMap<>();
        statuses.forEach((status, count) -> byStatus.put(String.valueOf(status), count.sum()));
        return new ClassReport(name, sent.sum(), ok.sum(), good.sum(), errors(), dropped.sum(), byKind, byStatus,
                perSecond(ok.sum(), elapsedSeconds), perSecond(good.sum(), elapsedSeconds),
                tokens.sum(), perSecond(tokens.sum(), elapsedSeconds),
                Percentiles.ofMicros(ttftTotal), Percentiles.ofMicros(latencyTotal), Percentiles.ofMicros(itlTotal));
    }

    static double perSecond(long count, double seconds) {
        return seconds > 0 ? Math.round(count / seconds * 1000) / 1000.0 : 0;
    }

    static long micros(long nanos) {
        return Math.clamp(TimeUnit.NANOSECONDS.toMicros(nanos), 0, HIGHEST_MICROS);
    }
}
