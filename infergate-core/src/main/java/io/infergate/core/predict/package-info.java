/**
 * Predicting how long a request will take on each endpoint, and routing by it. Start with
 * {@link io.infergate.core.predict.LatencyPredictor}: it answers a
 * {@link io.infergate.core.predict.Prediction} (time to first token, end-to-end time and the inputs
 * behind them), hands out a {@link io.infergate.core.predict.Dispatch} for each request sent, through
 * which the gateway reports what it observes, and builds the {@code predicted-latency}
 * {@link io.infergate.core.schedule.Scheduler}.
 *
 * <p><b>The model.</b> An endpoint is a continuous-batching server with three speeds: the time to
 * prefill a prompt token, the time of a decode step as a function of the batch
 * ({@code base + perSequence × batch}, one output token per running sequence per step), and how many
 * sequences it runs at once. A request of {@code P} prompt tokens and up to {@code N} output tokens,
 * with a {@link io.infergate.core.predict.Backlog} of {@code n} requests in front of it, gets its first
 * token after waiting for a batch slot (only when {@code n} fills the batch: until a slot frees, from
 * what each request ahead has left of its answer, as tokens seen or time passed tell), prefilling the unprefilled prompts ahead and its own, and one decode
 * step; each further token takes a decode step at the batch it runs in. The backlog is the server's
 * scraped waiting and running counts plus what the gateway sent since the scrape (with its prompt
 * sizes, and less the gateway's requests that finished since), with a batch limit learnt from scrapes
 * (probed upwards until one shows requests waiting) and lowered when the KV cache is nearly full;
 * without scraped figures, the gateway's own outstanding requests. There is no average of past latencies
 * anywhere: a busy fast endpoint and an idle slow one are compared on the work each would do for this
 * request, so a long prompt stays off an idle L4 that would take a second to prefill it, while a short
 * one may still use it.
 *
 * <p><b>Speeds.</b> They start from a {@link io.infergate.core.predict.SpeedPrior}, by default from
 * datasheet figures of the declared accelerator and the model's size
 * ({@link io.infergate.core.predict.SpeedPriors}), and are corrected by three factors per endpoint
 * (prefill, decode, queue), each learnt by a {@code RobustScale}: a time-decayed weighted median of the
 * last sixteen samples, so outliers do not move it and a three-fold slowdown takes it over within a
 * few samples. Samples come from each stream's first-token time (against the prediction made when it
 * was sent), its inter-token times (against the decode step at its batch) and each whole answer's
 * end-to-end time and usage. A factor an endpoint has too few samples of is the fleet's, so new
 * endpoints start at the speed the fleet is seen to run at.
 *
 * <p>Nothing here does I/O or reads a clock: observations carry their time.
 */
package io.infergate.core.predict;
