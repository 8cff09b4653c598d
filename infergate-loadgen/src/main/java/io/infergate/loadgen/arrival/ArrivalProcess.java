package io.infergate.loadgen.arrival;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When requests are meant to leave: a rate profile and a spacing. The four arrival processes the load
 * generator offers are made with the factories below.
 *
 * <pre>{@code
 * ArrivalProcess.poisson(50);                       // 50 req/s, exponential gaps
 * ArrivalProcess.constant(50);                      // one request every 20 ms
 * ArrivalProcess.bursts(20, 5, 10, 60, Spacing.POISSON);
 * ArrivalProcess.of(RateScheduleFile.read(Path.of("rates.csv")), Spacing.CONSTANT);
 * }</pre>
 *
 * @param profile the intended rate over time
 * @param spacing how requests are spaced at that rate
 */
public record ArrivalProcess(RateProfile profile, Spacing spacing) {

    public ArrivalProcess {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(spacing, "spacing");
    }

    public static ArrivalProcess constant(double rate) {
        return new ArrivalProcess(new RateProfile.Flat(rate), Spacing.CONSTANT);
    }

    public static ArrivalProcess poisson(double rate) {
        return new ArrivalProcess(new RateProfile.Flat(rate), Spacing.POISSON);
    }

    /** {@code baseRate}, rising to {@code baseRate × factor} for the last {@code burstSeconds} of every period. */
    public static ArrivalProcess bursts(double baseRate, double factor, double burstSeconds, double periodSeconds,
                                        Spacing spacing) {
        return new ArrivalProcess(new RateProfile.Bursts(baseRate, factor, burstSeconds, periodSeconds), spacing);
    }

    public static ArrivalProcess of(RateProfile profile, Spacing spacing) {
        return new ArrivalProcess(profile, spacing);
    }

    /** The process in words, e.g. {@code poisson, 50 req/s}. */
    public String describe() {
        return spacing.name().toLowerCase(Locale.ROOT) + ", " + profile.describe();
    }

    /** The same process, its rate rising from a tenth to all of it over {@code duration}. */
    public ArrivalProcess rampedOver(Duration duration) {
        return new ArrivalProcess(new RateProfile.Ramp(profile, duration.toNanos() / 1e9), spacing);
    }

    /** The same process at another base rate. */
    public ArrivalProcess withBaseRate(double rate) {
        return new ArrivalProcess(profile.withBaseRate(rate), spacing);
    }
}
