package io.infergate.core.predict;

/**
 * The service-time formula: from a request's size, the backlog in front of it and the endpoint's
 * speeds, its predicted time to first token and end-to-end time. Pure arithmetic.
 *
 * <p>An endpoint runs up to {@code batchLimit} sequences at once (continuous batching). With fewer
 * requests ahead than that, the request joins the batch at once: its first token comes after the
 * prompts not yet prefilled ahead of it and its own have been prefilled, plus one decode step. With
 * the batch full, it first waits for a slot to free: the backlog's slot wait (from what each request
 * ahead has left, see {@link SlotRelease}), times the endpoint's learnt queue factor. Every request also takes the endpoint's fixed
 * overhead (request handling, scheduling, network). A request joins the batch at the next step, so
 * with other sequences running it first waits out half a step on average. Each later output token
 * takes one decode step, whose length grows with the batch.
 */
final class ServiceTimeModel {

    /** Steps a request waits, on average, for the step in progress to end before it joins a running batch. */
    static final double JOIN_WAIT_STEPS = 0.5;

    private ServiceTimeModel() {
    }

    static Prediction predict(int promptTokens, int outputTokens, Backlog backlog, EndpointSpeeds speeds) {
        int prompt = Math.max(1, promptTokens);
        int output = Math.max(1, outputTokens);
        int ahead = backlog.requestsAhead();
        int limit = backlog.batchLimit();
        int batch = Math.min(limit, ahead + 1);
        double perToken = speeds.prefillNanosPerToken();
        double queueWait;
        double prefill;
        if (ahead < limit) {
            queueWait = 0;
            prefill = (prompt + backlog.unprefilledTokens()) * perToken;
        } else {
            queueWait = backlog.slotWaitNanos() * speeds.queueFactor();
            prefill = prompt * perToken;
        }
        double step = speeds.stepNanos(batch);
        // a request joins at the next step: with others running, it first waits out half the current one
        double firstStep = ahead > 0 ? step * (1 + JOIN_WAIT_STEPS) : step;
        double firstToken = speeds.overheadNanos() + queueWait + prefill + firstStep;
        double endToEnd = firstToken + (output - 1) * step;
        return new Prediction(Math.round(firstToken), Math.round(endToEnd), speeds.overheadNanos(),
                Math.round(queueWait), Math.round(prefill), Math.round(firstStep), Math.round(step), batch, output,
                backlog, speeds);
    }
}
