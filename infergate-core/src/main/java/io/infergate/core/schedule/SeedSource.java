package io.infergate.core.schedule;

/** Where a pick's seed comes from: the only input of a {@link Picker} besides the scores. */
interface SeedSource {

    /** The seed for a pick; may advance state. */
    long next(PickContext context);

    /** The seed {@link #next} would return now, without advancing anything: for explanations. */
    long peek(PickContext context);
}
