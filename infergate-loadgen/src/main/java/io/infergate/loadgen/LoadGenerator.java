package io.infergate.loadgen;

import io.infergate.core.time.Ticker;
import io.infergate.loadgen.arrival.SendSchedule;
import io.infergate.loadgen.client.LoadClient;
import io.infergate.loadgen.client.OutgoingRequest;
import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.scenario.Scenario;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a scenario open-loop and returns what it measured.
 *
 * <p>One sending thread walks the {@link SendSchedule} (intended send times computed ahead, from the
 * arrival process alone), sleeps until each, and hands the request to an event loop; it never waits for
 * an answer. If it wakes late, it sends at once and the delay counts as latency, because every latency
 * is measured from the intended time. When {@link Scenario#maxInFlight()} requests are unanswered, a
 * request that falls due is counted as dropped by the client instead of being sent, so the schedule
 * still never waits. The run stops by itself after the scenario's duration or request count, once the
 * last answers are in or have timed out.
 *
 * <pre>{@code
 * Scenario scenario = BuiltInScenarios.named("steady").withTargets(List.of(URI.create("http://127.0.0.1:8080")));
 * LoadReport report = LoadGenerator.run(scenario, ProgressListener.printingTo(System.err, ""));
 * }</pre>
 */
public final class LoadGenerator {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** How long after the last deadline the run still waits for stragglers before giving up on them. */
    private static final long DRAIN_GRACE_NANOS = 2 * NANOS_PER_SECOND;

    private final Scenario scenario;
    private final ProgressListener progress;
    private final Ticker ticker;

    private LoadGenerator(Scenario scenario, ProgressListener progress, Ticker ticker) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (scenario.targets().isEmpty()) {
            throw new IllegalArgumentException("targets of scenario '" + scenario.name()
                    + "': none (expected: --target URL, or target: in the scenario file)");
        }
    }

    /** Runs {@code scenario} to its end, reporting progress each second; blocks until done. */
    public static LoadReport run(Scenario scenario, ProgressListener progress) {
        return run(scenario, Duration.ZERO, progress);
    }

    /**
     * Runs {@code scenario} for {@code warmup} first, its rate ramped up from a tenth, on the same
     * connections, and forgets what that measured; then, without a pause, runs it to its end and reports. A warm-up lets both the target and
     * this JVM reach steady state (connections open, code compiled, queues formed) before anything is
     * measured. Warm-up requests still unanswered when the measurement starts are not counted in it.
     */
    public static LoadReport run(Scenario scenario, Duration warmup, ProgressListener progress) {
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0)");
        }
        return new LoadGenerator(scenario, progress, Ticker.system()).run(warmup);
    }

    private LoadReport run(Duration warmup) {
        int eventLoops = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadgen-progress");
            t.setDaemon(true);
            return t;
        });
        try (LoadClient client = new LoadClient(vertx, scenario.maxInFlight(), ticker)) {
            List<Context> contexts = eventLoopContexts(vertx, eventLoops);
            if (warmup.isPositive()) {
                // the measured run starts as soon as the warm-up has sent its last request: the target is
                // then in the steady state this traffic brings it to, queues included
                Scenario warming = scenario.withArrival(scenario.arrival().rampedOver(warmup)).withDuration(warmup)
                        .withMaxRequests(Long.MAX_VALUE).withSeed(scenario.seed() + 1);
                RunRecorder discarded = new RunRecorder(scenario.classes());
                send(warming, client, contexts, discarded, ProgressListener.NONE, ticker.read());
            }
            RunRecorder recorder = new RunRecorder(scenario.classes());
            progress.onMeasurementStart();
            String startedAt = Instant.now().toString();
            long start = ticker.read();
            sampler.scheduleAtFixedRate(() -> progress.onSecond(recorder.sample(secondsSince(start))),
                    1, 1, TimeUnit.SECONDS);
            long lastDeadline = send(scenario, client, contexts, recorder, progress, start);
            double sendSeconds = secondsSince(start);
            drain(recorder, lastDeadline);
            double elapsedSeconds = secondsSince(start);
            sampler.shutdown();
            awaitTermination(sampler);
            recorder.sample(elapsedSeconds);
            return recorder.report(scenario, startedAt, sendSeconds, elapsedSeconds);
        } finally {
            sampler.shutdownNow();
            vertx.close().await();
        }
    }

    /** Waits for the last answers, or for their deadlines to pass. */
    private void drain(RunRecorder recorder, long lastDeadline) {
        while (recorder.inFlight() > 0 && ticker.read() < lastDeadline + DRAIN_GRACE_NANOS) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /**
     * Walks the schedule of {@code scenario} from {@code start}, passing each ended request to
     * {@code recorder} and {@code listener}; returns the latest request deadline.
     */
    private long send(Scenario scenario, LoadClient client, List<Context> contexts, RunRecorder recorder,
                      ProgressListener listener, long start) {
        SendSchedule schedule = new SendSchedule(scenario.arrival(), scenario.duration(), scenario.maxRequests(),
                new SplittableRandom(scenario.seed()));
        RequestFactory requests = new RequestFactory(scenario.classes(), scenario.seed() + 1);
        List<URI> targets = scenario.targets();
        long timeoutNanos = scenario.timeout().toNanos();
        long lastDeadline = start;
        long n = 0;
        for (long at = schedule.next(); at >= 0; at = schedule.next()) {
            long intended = start + at;
            sleepUntil(intended);
            int classIndex = requests.pickClass();
            if (recorder.inFlight() >= scenario.maxInFlight()) {
                recorder.dropped(classIndex);
                continue;
            }
            OutgoingRequest request = requests.create(classIndex, targets.get((int) (n % targets.size())));
            long deadline = intended + timeoutNanos;
            lastDeadline = deadline;
            recorder.sent(classIndex);
            contexts.get((int) (n % contexts.size())).runOnContext(v -> {
                recorder.sendLag(ticker.read() - intended);
                client.send(request, intended, deadline, recorder.interTokenGaps(classIndex),
                        exchange -> {
                            recorder.completed(classIndex, exchange);
                            listener.onExchange(exchange);
                        });
            });
            n++;
        }
        if (!schedule.stoppedByCount()) {
            sleepUntil(start + scenario.duration().toNanos());
        }
        return lastDeadline;
    }

    private void sleepUntil(long nanos) {
        for (long remaining = nanos - ticker.read(); remaining > 0; remaining = nanos - ticker.read()) {
            LockSupport.parkNanos(remaining);
        }
    }

    private double secondsSince(long start) {
        return (ticker.read() - start) / (double) NANOS_PER_SECOND;
    }

    /** One context per event loop, so requests spread over all of them. */
    private static List<Context> eventLoopContexts(Vertx vertx, int count) {
        ConcurrentLinkedQueue<Context> contexts = new ConcurrentLinkedQueue<>();
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                contexts.add(context);
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setInstances(count)).await();
        return List.copyOf(contexts);
    }

    private static void awaitTermination(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
