package io.infergate.loadgen.bench;

/**
 * The three phases of {@code autoscale} in wall-clock seconds from the start of the load: 10 % of the
 * starting fleet's capacity, then 150 % from {@link #jumpSecond}, then 10 % again from
 * {@link #fallSecond} to {@link #endSecond}. In full-scale time the phases last 60 s, 360 s and 360 s
 * (quick: 30 s, 180 s, 180 s); the fleet's speed divides them.
 *
 * <pre>{@code
 * AutoscalePhases phases = AutoscalePhases.of(false, 10);   // jump at 6 s, fall at 42 s, end at 78 s
 * }</pre>
 *
 * @param speed       how much faster than real time the fleet runs
 * @param jumpSecond  when the load jumps
 * @param fallSecond  when it falls back
 * @param endSecond   when the load ends
 */
public record AutoscalePhases(double speed, double jumpSecond, double fallSecond, double endSecond) {

    public static AutoscalePhases of(boolean quick, double speed) {
        double low = quick ? 30 : 60;
        double high = quick ? 180 : 360;
        double fall = quick ? 180 : 360;
        return new AutoscalePhases(speed, low / speed, (low + high) / speed, (low + high + fall) / speed);
    }

    /** A wall-clock duration in full-scale seconds. */
    public double fullScale(double wallSeconds) {
        return wallSeconds * speed;
    }

    /** Start of the steady part of the high phase: its last 40 %, once the pool has settled. */
    public double steadyFromSecond() {
        return fallSecond - 0.4 * (fallSecond - jumpSecond);
    }
}
