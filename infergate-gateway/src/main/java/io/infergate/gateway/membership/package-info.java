/**
 * Endpoints joining and leaving the running gateway. {@link io.infergate.gateway.membership.FleetMembership}
 * adds an endpoint (slot, meters, scrapes, probes, outlier detection) and removes one (drained at once,
 * gone once idle); {@link io.infergate.gateway.membership.ConfigReload} re-reads the configuration file
 * and turns its endpoint changes into those calls. The autoscaler adds and releases nodes through the
 * same class.
 */
package io.infergate.gateway.membership;
