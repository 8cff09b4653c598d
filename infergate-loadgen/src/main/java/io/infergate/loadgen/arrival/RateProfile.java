package io.infergate.loadgen.arrival;

import java.util.List;
import java.util.Objects;

/**
 * How the intended request rate (requests per second) varies over a run. A closed set: a flat rate,
 * periodic bursts, a step-wise schedule read from a file, or any of these reached by a ramp.
 *
 * <pre>{@code
 * RateProfile flat = new RateProfile.Flat(50);
 * RateProfile bursts = new RateProfile.Bursts(20, 5, 10, 60);   // 100 req/s for the last 10 s of every minute
 * double rate = bursts.rateAt(55.0);                             // 100.0
 * }</pre>
 */
public sealed interface RateProfile {

    /** The intended rate at {@code seconds} after the start of the run, in requests per second. */
    double rateAt(double seconds);

    /**
     * The first time at or after {@code seconds} when the rate is positive, or
     * {@link Double#POSITIVE_INFINITY} when it stays at zero for ever.
     */
    double nextActiveSecond(double seconds);

    /** The same shape with its base rate replaced by {@code rate}. */
    RateProfile withBaseRate(double rate);

    /** The profile in words, for reports, e.g. {@code 10 req/s, 5x for 10 s every 60 s}. */
    String describe();

    /** A constant rate. */
    record Flat(double rate) implements RateProfile {
        public Flat {
            requireRate("rate", rate);
        }

        @Override
        public double rateAt(double seconds) {
            return rate;
        }

        @Override
        public double nextActiveSecond(double seconds) {
            return rate > 0 ? seconds : Double.POSITIVE_INFINITY;
        }

        @Override
        public RateProfile withBaseRate(double newRate) {
            return new Flat(newRate);
        }

        @Override
        public String describe() {
            return number(rate) + " req/s";
        }
    }

    /**
     * A base rate with periodic bursts: the last {@code burstSeconds} of every {@code periodSeconds}
     * run at {@code baseRate × factor}. The run starts with base load, so a burst hits a warm system.
     */
    record Bursts(double baseRate, double factor, double burstSeconds, double periodSeconds) implements RateProfile {
        public Bursts {
            requireRate("baseRate", baseRate);
            if (!(factor >= 1)) {
                throw new IllegalArgumentException("factor: " + factor + " (expected: >= 1)");
            }
            if (!(periodSeconds > 0)) {
                throw new IllegalArgumentException("periodSeconds: " + periodSeconds + " (expected: > 0)");
            }
            if (!(burstSeconds > 0 && burstSeconds <= periodSeconds)) {
                throw new IllegalArgumentException("burstSeconds: " + burstSeconds
                        + " (expected: > 0 and <= periodSeconds " + periodSeconds + ")");
            }
        }

        @Override
        public double rateAt(double seconds) {
            double inPeriod = seconds % periodSeconds;
            return inPeriod >= periodSeconds - burstSeconds ? baseRate * factor : baseRate;
        }

        @Override
        public double nextActiveSecond(double seconds) {
            return baseRate > 0 ? seconds : Double.POSITIVE_INFINITY;
        }

        @Override
        public RateProfile withBaseRate(double rate) {
            return new Bursts(rate, factor, burstSeconds, periodSeconds);
        }

        @Override
        public String describe() {
            return number(baseRate) + " req/s, " + number(factor) + "x for " + number(burstSeconds) + " s every "
                    + number(periodSeconds) + " s";
        }
    }

    /**
     * A rate that changes at given seconds and holds until the next step; the last rate holds to the
     * end of the run. Read from a CSV file with {@link RateScheduleFile}.
     */
    record Stepwise(List<Step> steps) implements RateProfile {
        public Stepwise {
            steps = List.copyOf(steps);
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("steps: empty (expected: at least one 'second,rate' step)");
            }
            if (steps.getFirst().second() != 0) {
                throw new IllegalArgumentException("steps: first step at second " + steps.getFirst().second()
                        + " (expected: the schedule starts at second 0)");
            }
            for (int i = 1; i < steps.size(); i++) {
                if (steps.get(i).second() <= steps.get(i - 1).second()) {
                    throw new IllegalArgumentException("steps[" + i + "]: second " + steps.get(i).second()
                            + " (expected: greater than the previous step's " + steps.get(i - 1).second() + ")");
                }
            }
        }

        @Override
        public double rateAt(double seconds) {
            double rate = steps.getFirst().rate();
            for (Step step : steps) {
                if (step.second() > seconds) {
                    break;
                }
                rate = step.rate();
            }
            return rate;
        }

        @Override
        public double nextActiveSecond(double seconds) {
            if (rateAt(seconds) > 0) {
                return seconds;
            }
            for (Step step : steps) {
                if (step.second() > seconds && step.rate() > 0) {
                    return step.second();
                }
            }
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public RateProfile withBaseRate(double rate) {
            throw new IllegalArgumentException("rate: " + rate
                    + " (expected: no rate override for a schedule read from a file; edit the file instead)");
        }

        @Override
        public String describe() {
            StringBuilder text = new StringBuilder("schedule");
            for (Step step : steps) {
                text.append(step == steps.getFirst() ? " " : ", ").append(number(step.rate()))
                        .append(" req/s from ").append(number(step.second())).append(" s");
            }
            return text.toString();
        }

        /** From {@code second} on, send {@code rate} requests per second. */
        public record Step(double second, double rate) {
            public Step {
                if (!(second >= 0)) {
                    throw new IllegalArgumentException("second: " + second + " (expected: >= 0)");
                }
                requireRate("rate", rate);
            }
        }
    }

    /**
     * {@code target}, reached gradually: the rate starts at a tenth of the target's and rises linearly to
     * all of it over {@code seconds}. A cold server (or JVM) meets the full rate only once it is warm.
     */
    record Ramp(RateProfile target, double seconds) implements RateProfile {
        /** The fraction of the target's rate at the start of the ramp. */
        static final double START = 0.1;

        public Ramp {
            Objects.requireNonNull(target, "target");
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("seconds: " + seconds + " (expected: > 0)");
            }
        }

        @Override
        public double rateAt(double at) {
            return target.rateAt(at) * Math.min(1, START + (1 - START) * at / seconds);
        }

        @Override
        public double nextActiveSecond(double at) {
            return target.nextActiveSecond(at);
        }

        @Override
        public RateProfile withBaseRate(double rate) {
            return new Ramp(target.withBaseRate(rate), seconds);
        }

        @Override
        public String describe() {
            return target.describe() + ", ramped up over " + number(seconds) + " s";
        }
    }

    /** A rate or a time for people: whole numbers as such, others to two decimals. */
    private static String number(double x) {
        double rounded = Math.round(x * 100) / 100.0;
        return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.valueOf(rounded);
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(name + ": " + rate + " (expected: a finite rate >= 0 requests/s)");
        }
    }
}
