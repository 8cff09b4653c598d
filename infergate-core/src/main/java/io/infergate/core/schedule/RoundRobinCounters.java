package io.infergate.core.schedule;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rotating counter per model, the only mutable state of any scheduler: with
 * {@link Picker#MAX_SCORE} over equal scores, seed {@code n} picks candidate {@code n mod count},
 * so successive picks of a model walk its candidates in turn. Lock-free; safe from any thread.
 */
final class RoundRobinCounters implements SeedSource {

    private final ConcurrentHashMap<String, AtomicLong> byModel = new ConcurrentHashMap<>();

    @Override
    public long next(PickContext context) {
        String model = context.request().model();
        AtomicLong counter = byModel.get(model);
        if (counter == null) {
            counter = byModel.computeIfAbsent(model, m -> new AtomicLong());
        }
        return counter.getAndIncrement();
    }

    @Override
    public long peek(PickContext context) {
        AtomicLong counter = byModel.get(context.request().model());
        return counter == null ? 0 : counter.get();
    }
}
