/**
 * Endpoint health as the gateway observes it. Start with
 * {@link io.infergate.core.health.OutlierDetector}: fed with each attempt's outcome, active probe
 * results and the ticker time, it ejects failing or lagging endpoints (with backoff and a cap per
 * pool), re-admits them, and reports each change as a {@link io.infergate.core.health.HealthEvent}.
 * A re-admitted endpoint eases back in through a {@link io.infergate.core.health.SlowStart}, which
 * the load-aware scheduler applies to its score. {@link io.infergate.core.health.StallRule} tells when
 * an endpoint with requests waiting on it has been silent too long to be merely busy.
 * {@link io.infergate.core.health.EndpointHealth} is
 * what the admin API shows. Like the rest of the core, nothing here does I/O or reads a clock.
 */
package io.infergate.core.health;
