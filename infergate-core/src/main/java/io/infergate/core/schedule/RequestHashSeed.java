package io.infergate.core.schedule;

import io.infergate.core.random.SplitMix;

/**
 * Seeds from a hash of the request id and the pick time: stateless, so a pick is a pure function
 * of its inputs, and different requests spread over equally good endpoints.
 */
final class RequestHashSeed implements SeedSource {

    static final RequestHashSeed INSTANCE = new RequestHashSeed();

    private RequestHashSeed() {
    }

    @Override
    public long next(PickContext context) {
        return peek(context);
    }

    @Override
    public long peek(PickContext context) {
        return SplitMix.mix(context.request().requestId().hashCode() * SplitMix.GOLDEN_GAMMA + context.nowNanos());
    }
}
