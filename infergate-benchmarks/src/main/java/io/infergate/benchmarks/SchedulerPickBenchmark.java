package io.infergate.benchmarks;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.schedule.Pick;
import io.infergate.core.schedule.PrefixIndex;
import io.infergate.core.schedule.Scheduler;
import io.infergate.core.schedule.SchedulerConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one {@link Scheduler#pick} on the request path.
 *
 * <p>Workload: a fleet of {@code endpoints} endpoints that all serve the model asked for, with
 * varied loads drawn once from a fixed seed (waiting 0–7, running 0–63, KV-cache use 0–1, the
 * gateway's in-flight count 0–31 of which some were sent since the scrape, one endpoint in twenty
 * with a stale scrape), every endpoint healthy and ready, nothing excluded. Each call picks for the
 * next of 1 024 prepared requests (distinct ids, so the seeded tie-breaks vary) at a time 1 µs later
 * than the previous call. Fleet, counts and requests are built in {@link #setUp}; the measured loop
 * allocates only what a pick itself allocates. {@code scheduler} is a {@link Scheduler#named} name:
 * {@code load-aware} (defaults: queue depth, load and KV-cache headroom, max score) against the
 * {@code round-robin} baseline; or {@code load-aware+prefix}, the defaults with a {@link PrefixIndex}
 * so that {@code prefix-affinity} runs for requests that carry prefix hashes. {@code prefixBlocks}
 * is how many prefix hashes each request carries: with 0 (the default) the prefix scorer does not
 * apply and must cost nothing; with {@code -p prefixBlocks=32} every request's 32 blocks were
 * recorded on one endpoint in setup, so each pick walks all 32 in the index.
 *
 * <p>Run from the project root (the design target is well under 10 µs at 1 000 endpoints):
 * <pre>
 * ./mvnw -B -ntp -q -pl infergate-benchmarks -am package -DskipTests \
 *   &amp;&amp; $JAVA_HOME/bin/java -jar infergate-benchmarks/target/benchmarks.jar SchedulerPick -f 1 -wi 3 -i 5 -w 1 -r 1 -prof gc
 * </pre>
 * Add {@code -p scheduler=load-aware+prefix -p prefixBlocks=32} for the cost of prefix affinity.
 * Results are in {@code docs/benchmarks.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulerPickBenchmark {

    private static final String MODEL = "llama-3.1-8b-instruct";
    private static final int REQUESTS = 1024; // a power of two: the loop masks instead of dividing

    @Param({"10", "100", "1000"})
    int endpoints;

    @Param({"load-aware", "load-aware+prefix", "round-robin"})
    String scheduler;

    @Param({"0"})
    int prefixBlocks;

    private Scheduler picker;
    private FleetSnapshot fleet;
    private InFlight inFlight;
    private RoutingRequest[] requests;
    private int next;
    private long nowNanos;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        List<Endpoint> endpointList = new ArrayList<>(endpoints);
        List<EndpointLoad> loads = new ArrayList<>(endpoints);
        int[] counts = new int[endpoints];
        for (int i = 0; i < endpoints; i++) {
            endpointList.add(Endpoint.builder("ep-" + i, URI.create("http://127.0.0.1:" + (9000 + i)))
                    .models(Set.of(MODEL)).build());
            int running = random.nextInt(64);
            int inFlightAtScrape = random.nextInt(16);
            counts[i] = inFlightAtScrape + random.nextInt(16);
            loads.add(new EndpointLoad(random.nextInt(8), running, random.nextDouble(), Double.NaN,
                    random.nextDouble(), inFlightAtScrape, 0L, random.nextInt(20) == 0, true, Lifecycle.READY));
        }
        fleet = FleetSnapshot.of(endpointList, loads);
        inFlight = slot -> counts[slot];
        PrefixIndex prefixes = PrefixIndex.builder().build();
        requests = new RoutingRequest[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            long[] hashes = new long[prefixBlocks];
            for (int block = 0; block < prefixBlocks; block++) {
                hashes[block] = random.nextLong();
            }
            requests[i] = RoutingRequest.forModel("req-" + i, MODEL).withPrefixHashes(hashes);
            prefixes.record(requests[i], "ep-" + random.nextInt(endpoints), 0);
        }
        picker = scheduler.equals("load-aware+prefix")
                ? Scheduler.loadAware(SchedulerConfig.defaults(), prefixes, List::of)
                : Scheduler.named(scheduler);
    }

    @Benchmark
    public Pick pick() {
        RoutingRequest request = requests[next++ & (REQUESTS - 1)];
        nowNanos += 1_000;
        return picker.pick(request, fleet, inFlight, nowNanos, Set.of());
    }
}
