package io.infergate.loadgen;

import io.infergate.loadgen.client.Exchange;
import io.infergate.loadgen.report.ClassReport;
import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.report.Percentiles;
import io.infergate.loadgen.report.TimelinePoint;
import io.infergate.loadgen.scenario.RequestClass;
import io.infergate.loadgen.scenario.Scenario;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;

/**
 * What a whole run measured: one {@link ClassRecorder} per class, the in-flight count, the send lag,
 * and the per-second timeline built by {@link #sample}.
 */
final class RunRecorder {

    private final List<ClassRecorder> classes = new ArrayList<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final Recorder sendLag = new Recorder(ClassRecorder.HIGHEST_MICROS, ClassRecorder.DIGITS);
    private final Histogram sendLagTotal = ClassRecorder.newHistogram();
    private final Histogram latencySoFar = ClassRecorder.newHistogram();
    private final List<TimelinePoint> timeline = new ArrayList<>();
    private final Histogram latencyOfInterval = ClassRecorder.newHistogram();
    private final Histogram ttftOfInterval = ClassRecorder.newHistogram();
    private double lastSecond;
    private long lastSent;
    private long lastOk;
    private long lastGood;
    private long lastErrors;
    private long lastDropped;

    RunRecorder(List<RequestClass> requestClasses) {
        for (RequestClass c : requestClasses) {
            classes.add(new ClassRecorder(c.name(), c.slo()));
        }
    }

    long inFlight() {
        return inFlight.get();
    }

    void sent(int classIndex) {
        inFlight.incrementAndGet();
        classes.get(classIndex).sent.increment();
    }

    void dropped(int classIndex) {
        classes.get(classIndex).dropped.increment();
    }

    void sendLag(long nanos) {
        sendLag.recordValue(ClassRecorder.micros(nanos));
    }

    LongConsumer interTokenGaps(int classIndex) {
        return classes.get(classIndex)::interTokenGap;
    }

    void completed(int classIndex, Exchange exchange) {
        classes.get(classIndex).completed(exchange);
        inFlight.decrementAndGet();
    }

    /** Closes the interval ending at {@code second}; called by one thread at a time. */
    synchronized Progress sample(double second) {
        latencyOfInterval.reset();
        ttftOfInterval.reset();
        for (ClassRecorder c : classes) {
            c.rollInterval(latencyOfInterval, ttftOfInterval);
        }
        latencySoFar.add(latencyOfInterval);
        sendLagTotal.add(sendLag.getIntervalHistogram());
        long sent = sum(c -> c.sent.sum());
        long ok = sum(c -> c.ok.sum());
        long good = sum(c -> c.good.sum());
        long errors = sum(ClassRecorder::errors);
        long dropped = sum(c -> c.dropped.sum());
        Percentiles latency = Percentiles.ofMicros(latencyOfInterval);
        Percentiles ttft = Percentiles.ofMicros(ttftOfInterval);
        timeline.add(new TimelinePoint(Math.round(second * 1000) / 1000.0, sent - lastSent, ok - lastOk,
                good - lastGood, errors - lastErrors, dropped - lastDropped, inFlight.get(),
                latency.p50Ms(), latency.p99Ms(), ttft.p50Ms(), ttft.p99Ms()));
        double interval = second - lastSecond;
        Progress progress = new Progress(second, interval > 0 ? (sent - lastSent) / interval : 0, inFlight.get(),
                ok, errors, dropped, Percentiles.ofMicros(latencySoFar).p50Ms(), Percentiles.ofMicros(latencySoFar).p99Ms());
        lastSecond = second;
        lastSent = sent;
        lastOk = ok;
        lastGood = good;
        lastErrors = errors;
        lastDropped = dropped;
        return progress;
    }

    /** The report; call after the last {@link #sample}. */
    synchronized LoadReport report(Scenario scenario, String startedAt, double sendSeconds, double elapsedSeconds) {
        List<ClassReport> perClass = classes.stream().map(c -> c.report(elapsedSeconds)).toList();
        long scheduled = perClass.stream().mapToLong(c -> c.requests() + c.droppedByClient()).sum();
        return new LoadReport(
                scenario.name(),
                scenario.targets().stream().map(Object::toString).toList(),
                scenario.arrival().describe(),
                startedAt,
                round(sendSeconds),
                round(elapsedSeconds),
                ClassRecorder.perSecond(scheduled, sendSeconds),
                Percentiles.ofMicros(sendLagTotal),
                overall(perClass, elapsedSeconds),
                perClass,
                timeline);
    }

    private ClassReport overall(List<ClassReport> perClass, double elapsedSeconds) {
        Histogram ttft = ClassRecorder.newHistogram();
        Histogram latency = ClassRecorder.newHistogram();
        Histogram itl = ClassRecorder.newHistogram();
        for (ClassRecorder c : classes) {
            ttft.add(c.ttftTotal);
            latency.add(c.latencyTotal);
            itl.add(c.itlTotal);
        }
        Map<String, Long> byKind = new TreeMap<>();
        Map<String, Long> byStatus = new TreeMap<>();
        for (ClassReport c : perClass) {
            c.errorsByKind().forEach((k, v) -> byKind.merge(k, v, Long::sum));
            c.statusCodes().forEach((k, v) -> byStatus.merge(k, v, Long::sum));
        }
        long ok = perClass.stream().mapToLong(ClassReport::ok).sum();
        long good = perClass.stream().mapToLong(ClassReport::good).sum();
        long tokens = perClass.stream().mapToLong(ClassReport::outputTokens).sum();
        return new ClassReport("all",
                perClass.stream().mapToLong(ClassReport::requests).sum(), ok, good,
                perClass.stream().mapToLong(ClassReport::errors).sum(),
                perClass.stream().mapToLong(ClassReport::droppedByClient).sum(),
                byKind, byStatus,
                ClassRecorder.perSecond(ok, elapsedSeconds), ClassRecorder.perSecond(good, elapsedSeconds),
                tokens, ClassRecorder.perSecond(tokens, elapsedSeconds),
                Percentiles.ofMicros(ttft), Percentiles.ofMicros(latency), Percentiles.ofMicros(itl));
    }

    private long sum(ToLongFunction<ClassRecorder> f) {
        return classes.stream().mapToLong(f).sum();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
