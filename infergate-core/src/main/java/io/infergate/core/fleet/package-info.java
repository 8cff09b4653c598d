/**
 * The fleet as data, what the scheduler, flow control and the autoscaler read. Start with
 * {@link io.infergate.core.fleet.FleetSnapshot}: an immutable view of every
 * {@link io.infergate.core.fleet.Endpoint} (what it is: URL, pool, models, region, site, accelerator, price)
 * with its last known {@link io.infergate.core.fleet.EndpointLoad} (how busy its server says it is) and its
 * {@link io.infergate.core.fleet.BatchCapacity} (how many requests it runs at once, learnt by a
 * {@link io.infergate.core.fleet.CapacityEstimate} from its scrapes or declared), each
 * addressed by its slot so that hot code works on arrays; {@link io.infergate.core.fleet.InFlight} is the
 * gateway's live count of requests per slot, read at pick time. {@link io.infergate.core.fleet.Lifecycle},
 * {@link io.infergate.core.fleet.CapacityKind}, {@link io.infergate.core.fleet.SiteKind} and
 * {@link io.infergate.core.fleet.Accelerator} describe an endpoint. Nothing here does I/O or reads a clock:
 * the gateway swaps in a new snapshot as its scrapes arrive.
 */
package io.infergate.core.fleet;
