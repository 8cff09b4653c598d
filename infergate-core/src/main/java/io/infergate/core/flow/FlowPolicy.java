package io.infergate.core.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What flow control does: the priority classes in order, the saturation thresholds, the capacity
 * reserved for the highest class, the pool-wide queue bound and the tenants' weights.
 *
 * <pre>{@code
 * FlowPolicy policy = FlowPolicy.builder()
 *         .reservedForCritical(0.25)                       // fixed; by default the reserve follows demand
 *         .saturation(new SaturationThresholds(1, 0.8, 4))
 *         .tenantWeight("fraud", 3)
 *         .build();
 * FlowController<Call> controller = new FlowController<>(policy);
 * }</pre>
 *
 * @param classes             the classes, highest first; served in strict priority; at least one, names unique
 * @param defaultClass        the class of a request that names none
 * @param maxQueued           most requests waiting at once over all classes of one model; past it, a
 *                            request of a higher class sheds the newest request of the lowest
 *                            sheddable class below it
 * @param saturation          when the pool counts as saturated
 * @param reserve             the capacity kept free for the highest class
 * @param tenantWeights       weight of each tenant in its class's fair share; unlisted tenants weigh 1;
 *                            every weight finite and {@code > 0}
 */
public record FlowPolicy(List<PriorityClass> classes, String defaultClass, int maxQueued,
                         SaturationThresholds saturation, CriticalReserve reserve,
                         Map<String, Double> tenantWeights) {

    /** The weight of a tenant with no configured weight. */
    public static final double DEFAULT_WEIGHT = 1.0;

    public FlowPolicy {
        classes = List.copyOf(classes);
        Objects.requireNonNull(defaultClass, "defaultClass");
        Objects.requireNonNull(saturation, "saturation");
        Objects.requireNonNull(reserve, "reserve");
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("classes: [] (expected: at least one priority class)");
        }
        Set<String> names = new HashSet<>();
        for (PriorityClass c : classes) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("classes: '" + c.name() + "' appears twice (expected: unique names)");
            }
        }
        if (!names.contains(defaultClass)) {
            throw new IllegalArgumentException("defaultClass: '" + defaultClass + "' (expected one of: "
                    + String.join(", ", names(classes)) + ")");
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued: " + maxQueued + " (expected: >= 0)");
        }
        for (Map.Entry<String, Double> weight : tenantWeights.entrySet()) {
            Double value = weight.getValue();
            if (value == null || !Double.isFinite(value) || value <= 0) {
                throw new IllegalArgumentException("tenantWeights." + weight.getKey() + ": " + value
                        + " (expected: a finite number > 0)");
            }
        }
        tenantWeights = Collections.unmodifiableMap(new LinkedHashMap<>(tenantWeights));
    }

    /**
     * {@code critical} (1 000 queued, 10 s), {@code standard} (1 000, 5 s) and {@code sheddable}
     * (1 000, 5 s, sheddable); default class {@code standard}; 2 000 queued per model in all;
     * {@link SaturationThresholds#DEFAULT}; a reserve for {@code critical} that follows its demand
     * ({@link CriticalReserve#followsDemand()}); every tenant weighs 1.
     */
    public static FlowPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The share of every saturation threshold kept from lower classes, endpoint by endpoint: the fixed
     * reserve's share, 0 when the reserve follows demand (the {@link FlowController} then keeps places free
     * pool-wide).
     */
    public double reservedForCritical() {
        return reserve.thresholdShare();
    }

    /** The class names, highest first. */
    public List<String> classNames() {
        return names(classes);
    }

    /** The rank of class {@code name}, 0 for the highest, or -1 when there is no such class. */
    public int rank(String name) {
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public PriorityClass priorityClass(int rank) {
        return classes.get(rank);
    }

    /** The weight of {@code tenant}: its configured one, else {@link #DEFAULT_WEIGHT}. */
    public double weight(String tenant) {
        return tenantWeights.getOrDefault(tenant, DEFAULT_WEIGHT);
    }

    /** The smallest weight any tenant can have; DRR quanta are weights divided by it, so each is at least 1. */
    double minWeight() {
        double min = DEFAULT_WEIGHT;
        for (double weight : tenantWeights.values()) {
            min = Math.min(min, weight);
        }
        return min;
    }

    private static List<String> names(List<PriorityClass> classes) {
        return classes.stream().map(PriorityClass::name).toList();
    }

    /** Builds a {@link FlowPolicy}; starts from the {@link #defaults()}. */
    public static final class Builder {
        private List<PriorityClass> classes = List.of(
                new PriorityClass("critical", 1000, Duration.ofSeconds(10), false),
                new PriorityClass("standard", 1000, Duration.ofSeconds(5), false),
                new PriorityClass("sheddable", 1000, Duration.ofSeconds(5), true));
        private String defaultClass = "standard";
        private int maxQueued = 2000;
        private SaturationThresholds saturation = SaturationThresholds.DEFAULT;
        private CriticalReserve reserve = CriticalReserve.followsDemand();
        private final Map<String, Double> tenantWeights = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder classes(List<PriorityClass> classes) { this.classes = new ArrayList<>(classes); return this; }
        public Builder defaultClass(String defaultClass) { this.defaultClass = defaultClass; return this; }
        public Builder maxQueued(int maxQueued) { this.maxQueued = maxQueued; return this; }
        public Builder saturation(SaturationThresholds saturation) { this.saturation = saturation; return this; }
        /** A fixed reserve: {@code share} of every threshold. */
        public Builder reservedForCritical(double share) { this.reserve = new CriticalReserve.Fixed(share); return this; }
        public Builder reserve(CriticalReserve reserve) { this.reserve = reserve; return this; }
        public Builder tenantWeight(String tenant, double weight) { tenantWeights.put(tenant, weight); return this; }

        public FlowPolicy build() {
            return new FlowPolicy(classes, defaultClass, maxQueued, saturation, reserve, tenantWeights);
        }
    }
}
