package io.infergate.core.predict;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.health.SlowStart;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.schedule.Scheduler;
import io.infergate.core.schedule.SchedulerConfig;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Predicts, for a request, its time to first token and end-to-end time on each endpoint now, and
 * learns each endpoint's speeds from what the gateway observes. The model is described in the
 * package documentation; {@link ServiceTimeModel} has the formula, {@link Dispatch} what each
 * observation teaches.
 *
 * <pre>{@code
 * LatencyPredictor predictor = LatencyPredictor.create();
 * Scheduler scheduler = predictor.scheduler(Map.of("interactive", LatencySlo.of(Duration.ofMillis(300), null)));
 * predictor.scraped(endpoint, load);                  // on every scrape: teaches the batch limit
 * Pick pick = scheduler.pick(request, fleet, inFlight, nowNanos, Set.of());
 * // when the request goes out:
 * Dispatch dispatch = predictor.sent(request, fleet.endpoint(slot), fleet.load(slot), inFlight.count(slot), nowNanos);
 * // as the answer comes back:
 * dispatch.firstToken(t1);  dispatch.tokens(40, t2);  dispatch.finished(usage.completionTokens(), t3);
 * }</pre>
 *
 * <p>Endpoints are known by id; the first time one is seen its prior comes from the prior function
 * (by default {@link SpeedPriors#forEndpoint}). No method reads a clock: observations carry the
 * time. Safe from any thread.
 */
public final class LatencyPredictor {

    private final Function<Endpoint, SpeedPrior> priors;
    private final Map<String, EndpointModel> endpoints = new ConcurrentHashMap<>();
    private final LearntFactors fleet = new LearntFactors();
    private final AtomicReference<WorkloadMeans> workload = new AtomicReference<>(WorkloadMeans.INITIAL);

    private LatencyPredictor(Function<Endpoint, SpeedPrior> priors) {
        this.priors = Objects.requireNonNull(priors, "priors");
    }

    /** A predictor whose priors come from each endpoint's accelerator and model size. */
    public static LatencyPredictor create() {
        return new LatencyPredictor(SpeedPriors::forEndpoint);
    }

    /** A predictor whose priors come from {@code priors}, e.g. an engine profile named in configuration. */
    public static LatencyPredictor withPriors(Function<Endpoint, SpeedPrior> priors) {
        return new LatencyPredictor(priors);
    }

    /**
     * The {@code predicted-latency} scheduler on this predictor, keeping the default dedicated classes
     * off preemptible endpoints.
     *
     * @param slos the latency objective of each priority class that has one
     */
    public Scheduler scheduler(Map<String, LatencySlo> slos) {
        return scheduler(slos, SchedulerConfig.DEFAULT_DEDICATED_CLASSES, List::of);
    }

    /**
     * The {@code predicted-latency} scheduler, keeping {@code dedicatedClasses} off preemptible endpoints
     * and easing in the endpoints in {@code slowStarts} (called once per pick; it must be cheap, e.g.
     * {@code OutlierDetector::slowStarts}).
     */
    public Scheduler scheduler(Map<String, LatencySlo> slos, Set<String> dedicatedClasses,
                               Supplier<List<SlowStart>> slowStarts) {
        return new PredictedLatencyScheduler(this, slos, dedicatedClasses, slowStarts);
    }

    /**
     * The prediction for {@code request} on {@code endpoint} at {@code nowNanos}, given its last
     * scraped {@code load} and the gateway's live in-flight count to it. Changes nothing.
     */
    public Prediction predict(RoutingRequest request, Endpoint endpoint, EndpointLoad load, int inFlight,
                              long nowNanos) {
        return predict(request, model(endpoint), load, inFlight, workload.get(), nowNanos);
    }

    /**
     * {@code request} was sent to {@code endpoint} at {@code nowNanos}: it joins the endpoint's backlog
     * until the returned dispatch finishes or is abandoned, and the prediction made now is what its
     * observations are set against. Call it for every attempt, including retries and hedges.
     */
    public Dispatch sent(RoutingRequest request, Endpoint endpoint, EndpointLoad load, int inFlight, long nowNanos) {
        EndpointModel model = model(endpoint);
        WorkloadMeans means = workload.updateAndGet(w -> w.withPrompt(Math.max(1, request.promptTokens())));
        Prediction prediction = predict(request, model, load, inFlight, means, nowNanos);
        Dispatch dispatch = new Dispatch(model, this, prediction, request.promptTokens(),
                request.maxTokens() > 0, nowNanos);
        model.sent(dispatch, load);
        return dispatch;
    }

    /**
     * A scrape of {@code endpoint} arrived: a batch seen full with requests waiting tells how many
     * sequences it runs at once. Requests sent learn the same from the scrape they are sent on; this
     * lets endpoints that get no request learn it too.
     */
    public void scraped(Endpoint endpoint, EndpointLoad load) {
        model(endpoint).scraped(load);
    }

    /** The speeds the model holds for {@code endpoint} at {@code nowNanos}, for metrics and explanations. */
    public EndpointSpeeds speeds(Endpoint endpoint, long nowNanos) {
        return model(endpoint).speeds(nowNanos);
    }

    /** The recent mean request size. */
    public WorkloadMeans workload() {
        return workload.get();
    }

    /** Forgets an endpoint that left the fleet; seen again, it starts from its prior. */
    public void forget(String endpointId) {
        endpoints.remove(endpointId);
    }

    /** An answer of {@code outputTokens} finished. */
    void answered(int outputTokens) {
        workload.updateAndGet(w -> w.withOutput(Math.max(1, outputTokens)));
    }

    private EndpointModel model(Endpoint endpoint) {
        EndpointModel model = endpoints.get(endpoint.id());
        return model != null ? model
                : endpoints.computeIfAbsent(endpoint.id(), id -> new EndpointModel(priors.apply(endpoint), fleet));
    }

    private static Prediction predict(RoutingRequest request, EndpointModel model, EndpointLoad load, int inFlight,
                                      WorkloadMeans means, long nowNanos) {
        EndpointSpeeds speeds = model.speeds(nowNanos);
        return ServiceTimeModel.predict(request.promptTokens(), outputTokens(request, means),
                model.backlog(load, inFlight, means, speeds, nowNanos), speeds);
    }

    private static int outputTokens(RoutingRequest request, WorkloadMeans means) {
        return request.maxTokens() > 0 ? request.maxTokens() : (int) Math.round(means.outputTokens());
    }
}
