package io.infergate.emulator;

import io.infergate.core.engine.EngineProfile;
import io.infergate.core.engine.EngineStats;

/**
 * Everything a metrics page reports, as of one scrape.
 *
 * @param model          the model the page is labelled with, the first one served
 * @param engine         the engine's queue, batch, KV use and token counters
 * @param profile        the engine profile (KV-cache size, batch bound)
 * @param requests       latencies and finished requests
 * @param prefixCache    prefix-cache counters
 * @param gpu            the GPU it pretends to run on
 * @param gpuUtilisation smoothed share of time the engine was busy, 0..1
 */
record ServerState(String model, EngineStats engine, EngineProfile profile, RequestMetrics requests, PrefixCache prefixCache,
                   EmulatedGpu gpu, double gpuUtilisation) {

    /** KV-cache tokens in use. */
    long kvTokensUsed() {
        return Math.round(engine.kvCacheUsage() * profile.kvCacheTokens());
    }

    /** Memory-bandwidth activity, 0..1; see {@link EmulatedGpu}. */
    double dramActive() {
        return EmulatedGpu.dramActive(gpuUtilisation, engine.running(), profile.maxNumSeqs());
    }

    /** Lifetime prefix-cache hit rate, 0 before the first query. */
    double prefixCacheHitRate() {
        long queried = prefixCache.queriedTokens();
        return queried == 0 ? 0 : (double) prefixCache.hitTokens() / queried;
    }

    /** Prompt tokens of the requests admitted: those prefilled plus those served from the prefix cache. */
    long promptTokens() {
        return engine.promptTokens() + prefixCache.hitTokens();
    }

    /** Requests that ran to their end. */
    long succeeded() {
        return requests.finished("stop") + requests.finished("length");
    }
}
