package io.infergate.core.predict;

import java.util.Objects;

/**
 * What one request is predicted to take on one endpoint now, with the inputs behind it:
 * {@code timeToFirstToken = overhead + queueWait + prefill + firstStep} and
 * {@code endToEnd = timeToFirstToken + (outputTokens - 1) × step}.
 *
 * @param timeToFirstTokenNanos predicted time from sending to the first output token
 * @param endToEndNanos         predicted time from sending to the last output token
 * @param overheadNanos         the endpoint's fixed time per request, besides its work
 * @param queueWaitNanos        waiting for a batch slot to free, when the batch is full
 * @param prefillNanos          prefilling this prompt and the unprefilled prompts ahead of it
 * @param firstStepNanos        the decode step that yields the first token, after half of the step in
 *                              progress when other sequences run
 * @param stepNanos             each later decode step: the time per output token at {@code batch}
 * @param batch                 sequences running while this one decodes, itself included
 * @param outputTokens          output tokens assumed: the request's bound, or the recent mean when it sets none
 * @param backlog               the work in front of it
 * @param speeds                the endpoint's speeds used
 */
public record Prediction(long timeToFirstTokenNanos, long endToEndNanos, long overheadNanos, long queueWaitNanos,
                         long prefillNanos,
                         long firstStepNanos, long stepNanos, int batch, int outputTokens, Backlog backlog,
                         EndpointSpeeds speeds) {

    public Prediction {
        Objects.requireNonNull(backlog, "backlog");
        Objects.requireNonNull(speeds, "speeds");
    }

    /** The time after the first token: the remaining output tokens, one decode step each. */
    public long decodeNanos() {
        return endToEndNanos - timeToFirstTokenNanos;
    }
}
