package io.infergate.core.predict;

import io.infergate.core.predict.LearntFactors.Factor;

/**
 * One request the gateway sent to an endpoint, from {@link LatencyPredictor#sent} until it finishes:
 * it holds the request's place in the endpoint's backlog (so picks made before the next scrape count
 * it), and it turns what the gateway observes of the answer into samples of the endpoint's speeds.
 * The host calls, in order: {@link #firstToken} when the first output token arrives (streams),
 * {@link #tokens} as more arrive, then {@link #finished} with the answer's usage, or
 * {@link #abandoned} when the attempt failed or the client went away.
 *
 * <p>What each observation teaches:
 * <ul>
 *   <li>the time to first token, set against the prediction made at sending (queue wait, prefill,
 *       first step and the endpoint's overhead), is a sample of the factor of its larger part (at the
 *       prior's speeds), queue or prefill, the other parts taken as predicted; when the first decode
 *       step was most of the work, what the request took beyond its work is a sample of the
 *       endpoint's overhead; nothing is learnt when the other parts alone were predicted to take
 *       longer. Prefill and overhead are
 *       learnt only from requests sent with few others ahead (fewer than the least batch any server
 *       is assumed to run): behind many, a wait in the server's own queue that the model did not
 *       foresee (a batch limit not yet learnt) would be taken for a slow prefill or a long overhead;</li>
 *   <li>each run of {@value #SEGMENT_TOKENS} output tokens gives the time per output token, set
 *       against the prior's decode step at the batch the request was sent into: a sample of the
 *       decode factor. That time includes the steps in which other requests' prompts were prefilled,
 *       so under a stream of arrivals the factor is the time per token the endpoint gives under that
 *       load, somewhat above its bare decode speed: what end-to-end predictions need;</li>
 *   <li>a whole answer that was not streamed, set against its prediction redone with the output
 *       tokens of its usage, is a sample of the factor of its largest part; its usage also feeds the
 *       mean answer length.</li>
 * </ul>
 * Calls out of order or repeated are ignored. Each method is cheap and may be called from any thread.
 */
public final class Dispatch {

    /** Output tokens per decode sample: enough to smooth the jitter of single inter-token gaps. */
    static final int SEGMENT_TOKENS = 16;

    /** A segment whose tokens came more than this many to a chunk, on average, came in bursts: no sample. */
    static final int MAX_TOKENS_PER_CHUNK = 2;

    private final EndpointModel endpoint;
    private final LatencyPredictor predictor;
    private final Prediction prediction;
    private final int promptTokens;
    /** Whether the request set its output bound: then its answer is taken to run to it. */
    private final boolean outputBounded;
    private final long sentAtNanos;
    /** Output tokens seen so far; read by the ledger without this object's lock. */
    private volatile int generated;
    /** Guarded by the endpoint model's lock: the ledger reads it. */
    boolean prefilled;
    private long firstTokenAtNanos = -1;
    private long segmentStartNanos;
    private int segmentStartTokens;
    /** Calls of {@link #tokens} in the current segment: the chunks its tokens came in. */
    private int segmentChunks;

    Dispatch(EndpointModel endpoint, LatencyPredictor predictor, Prediction prediction, int promptTokens,
             boolean outputBounded, long sentAtNanos) {
        this.endpoint = endpoint;
        this.predictor = predictor;
        this.prediction = prediction;
        this.promptTokens = Math.max(1, promptTokens);
        this.outputBounded = outputBounded;
        this.sentAtNanos = sentAtNanos;
    }

    /** What was predicted for the request when it was sent: compare with what happens for prediction errors. */
    public Prediction prediction() {
        return prediction;
    }

    public long sentAtNanos() {
        return sentAtNanos;
    }

    /** The request's first output token arrived at {@code nowNanos}. */
    public synchronized void firstToken(long nowNanos) {
        if (!endpoint.markPrefilled(this)) {
            return;
        }
        firstTokenAtNanos = nowNanos;
        generated = Math.max(generated, 1);
        segmentStartNanos = nowNanos;
        segmentStartTokens = 1;
        EndpointSpeeds used = prediction.speeds();
        double queue = prediction.queueWaitNanos();
        double prefill = prediction.prefillNanos();
        double step = prediction.firstStepNanos();
        // which part is larger is judged at the prior's speeds, so that a factor learnt wrong cannot
        // make its own part look too small to be corrected
        double queueAtPrior = queue / used.queueFactor();
        double prefillAtPrior = prefill / used.prefillFactor();
        Backlog backlog = prediction.backlog();
        boolean fewAhead = backlog.requestsAhead() < Math.min(backlog.batchLimit(), EndpointModel.MIN_PROBED_BATCH);
        double observed = nowNanos - sentAtNanos - prediction.overheadNanos();
        if (step / used.decodeFactor() >= queueAtPrior + prefillAtPrior) {
            if (fewAhead) {
                // the work was small: what it took beyond the work is the endpoint's overhead
                double overhead = Math.max(0, nowNanos - sentAtNanos - queue - prefill - step);
                endpoint.learn(Factor.OVERHEAD, overhead / EndpointSpeeds.OVERHEAD_UNIT_NANOS, nowNanos);
            }
        } else if (queueAtPrior > prefillAtPrior) {
            learn(Factor.QUEUE, used.queueFactor(), queue, observed - prefill - step, nowNanos);
        } else if (fewAhead) {
            learn(Factor.PREFILL, used.prefillFactor(), prefill, observed - queue - step, nowNanos);
        }
    }

    /** {@code generated} output tokens (all of them so far, the first included) have arrived by {@code nowNanos}. */
    public synchronized void tokens(int generated, long nowNanos) {
        if (firstTokenAtNanos < 0) {
            firstToken(nowNanos);
        }
        segmentChunks++;
        this.generated = Math.max(this.generated, generated);
        if (firstTokenAtNanos >= 0 && generated - segmentStartTokens >= SEGMENT_TOKENS) {
            learnDecode(generated, nowNanos);
        }
    }

    /** The answer ended at {@code nowNanos} with {@code outputTokens} output tokens (its usage). */
    public synchronized void finished(int outputTokens, long nowNanos) {
        if (!endpoint.markDone(this)) {
            return;
        }
        predictor.answered(outputTokens);
        if (firstTokenAtNanos >= 0) {
            if (outputTokens > segmentStartTokens && nowNanos > segmentStartNanos) {
                learnDecode(outputTokens, nowNanos);
            }
            return;
        }
        double queue = prediction.queueWaitNanos();
        double prefill = prediction.prefillNanos();
        double decode = prediction.firstStepNanos() + (Math.max(1, outputTokens) - 1.0) * prediction.stepNanos();
        double observed = nowNanos - sentAtNanos - prediction.overheadNanos();
        EndpointSpeeds used = prediction.speeds();
        double queueAtPrior = queue / used.queueFactor();
        double prefillAtPrior = prefill / used.prefillFactor();
        double decodeAtPrior = decode / used.decodeFactor();
        if (decodeAtPrior >= queueAtPrior && decodeAtPrior >= prefillAtPrior) {
            learn(Factor.DECODE, used.decodeFactor(), decode, observed - queue - prefill, nowNanos);
        } else if (queueAtPrior >= prefillAtPrior) {
            learn(Factor.QUEUE, used.queueFactor(), queue, observed - prefill - decode, nowNanos);
        } else {
            learn(Factor.PREFILL, used.prefillFactor(), prefill, observed - queue - decode, nowNanos);
        }
    }

    /** The request failed or was cancelled: it leaves the backlog and teaches nothing. */
    public void abandoned() {
        endpoint.markDone(this);
    }

    /** Prompt tokens still to prefill: the whole prompt until the first token. Read under the endpoint's lock. */
    long unprefilledTokens() {
        return prefilled ? 0 : promptTokens;
    }

    /**
     * Output tokens the answer has still to come at {@code nowNanos}: up to its bound when it set one;
     * without one, up to the mean length, and once past it half the mean again (a long answer is
     * likely to go on). Progress is the tokens seen, or for an answer not streamed the decode steps
     * predicted to fit in the time since its first token was due.
     */
    int remainingOutputTokens(long nowNanos) {
        int expected = prediction.outputTokens();
        int done = generated;
        if (done == 0 && prediction.stepNanos() > 0) {
            long decoding = nowNanos - sentAtNanos - prediction.timeToFirstTokenNanos();
            done = (int) Math.clamp(decoding / prediction.stepNanos(), 0, expected - 1L);
        }
        int left = expected - done;
        return outputBounded ? Math.max(1, left) : Math.max(left, Math.max(1, expected / 2));
    }

    /**
     * A decode sample from the tokens of the segment that ends now, when they came spread out: tokens
     * that came in a few bursts (held up on the way, by a busy gateway or a paused client) tell the
     * time between the bursts, not between the tokens, and teach nothing.
     */
    private void learnDecode(int generated, long nowNanos) {
        int tokens = generated - segmentStartTokens;
        if (segmentChunks * MAX_TOKENS_PER_CHUNK >= tokens) {
            double perToken = (double) (nowNanos - segmentStartNanos) / tokens;
            endpoint.learn(Factor.DECODE, perToken / endpoint.prior().stepNanos(prediction.batch()), nowNanos);
        }
        segmentStartNanos = nowNanos;
        segmentStartTokens = generated;
        segmentChunks = 0;
    }

    /**
     * A sample of {@code factor}: the part predicted as {@code predictedPart} (with {@code usedFactor})
     * took {@code observedPart}, so the factor was {@code usedFactor × observedPart / predictedPart}.
     * When the other parts alone took longer than the whole ({@code observedPart <= 0}), it was they
     * that were predicted too long, and the sample is not taken.
     */
    private void learn(Factor factor, double usedFactor, double predictedPart, double observedPart, long nowNanos) {
        if (predictedPart > 0 && observedPart > 0) {
            endpoint.learn(factor, usedFactor * observedPart / predictedPart, nowNanos);
        }
    }
}
