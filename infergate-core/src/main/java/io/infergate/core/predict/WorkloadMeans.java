package io.infergate.core.predict;

/**
 * The recent mean size of requests, over all endpoints: what the model assumes for requests it knows
 * only as a count (those a scrape reports waiting or running) and for the output of a request that
 * sets no bound.
 *
 * @param promptTokens mean prompt tokens of the requests sent
 * @param outputTokens mean output tokens of the answers finished
 */
public record WorkloadMeans(double promptTokens, double outputTokens) {

    /** Before any request: prompts of 512 tokens and answers of 256, typical chat figures. */
    public static final WorkloadMeans INITIAL = new WorkloadMeans(512, 256);

    /** Each new request moves a mean by this share of its difference from it. */
    static final double SMOOTHING = 1.0 / 32;

    public WorkloadMeans {
        if (!(promptTokens >= 1) || !(outputTokens >= 1)) {
            throw new IllegalArgumentException("workload means: " + promptTokens + " prompt, " + outputTokens
                    + " output tokens (expected: >= 1 each)");
        }
    }

    WorkloadMeans withPrompt(int tokens) {
        return new WorkloadMeans(Math.max(1, promptTokens + SMOOTHING * (tokens - promptTokens)), outputTokens);
    }

    WorkloadMeans withOutput(int tokens) {
        return new WorkloadMeans(promptTokens, Math.max(1, outputTokens + SMOOTHING * (tokens - outputTokens)));
    }
}
