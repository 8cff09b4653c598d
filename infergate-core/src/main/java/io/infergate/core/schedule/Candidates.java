package io.infergate.core.schedule;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;

import java.util.Arrays;

/**
 * The endpoints of one pick that passed the filters, with the figures scorers read copied out of
 * the snapshot into one array per figure. The snapshot's {@link EndpointLoad} records lie scattered
 * on the heap, and at 1 000 endpoints reading them costs more than all the scoring: they are read
 * once, here, and every scorer walks dense arrays. Figures that are missing or come from a stale
 * scrape are stored as unknown: {@code -1} for counts, {@link Double#NaN} for ratios.
 *
 * <p>Each thread has one instance, reused by all its picks and grown to the largest pool seen:
 * {@link #reset} puts the endpoints serving the model in, the filters compact {@link #slots}, and
 * {@link #gather} reads the figures of those left; entries {@code [0, count)} are this pick's, in
 * snapshot slot order.
 */
final class Candidates {

    /** How many entries are this pick's. */
    int count;
    /** Each candidate's slot in the snapshot. */
    int[] slots = new int[0];
    /** Requests waiting on the server at the last scrape, or -1. */
    int[] waiting = new int[0];
    /** Requests waiting plus running on the server at the last scrape, or -1 when either is unknown. */
    int[] serverLoad = new int[0];
    /** The gateway's in-flight count when the last scrape completed, or -1 when the scrape is stale. */
    int[] inFlightAtScrape = new int[0];
    /** The gateway's live in-flight count. */
    int[] inFlight = new int[0];
    /** The endpoint's capacity weight: load-based scores count requests per unit of it. */
    double[] capacityWeight = new double[0];
    /** KV-cache use at the last scrape, 0..1, or NaN. */
    double[] kvCacheUsage = new double[0];
    /** Scratch for one scorer's scores. */
    double[] scores = new double[0];
    /** Weighted total of each candidate. */
    double[] totals = new double[0];
    /** Scratch of the prefix-affinity scorer: endpoints that served the request's prefix. */
    String[] prefixIds = new String[0];
    /** Scratch of the prefix-affinity scorer: how many leading blocks each of {@link #prefixIds} served. */
    int[] prefixBlocks = new int[0];

    /** Puts {@code serving} in {@link #slots}, growing the arrays if needed; no figures yet. */
    void reset(int[] serving) {
        int capacity = serving.length;
        if (slots.length < capacity) {
            int grown = Math.max(capacity, slots.length * 2);
            slots = new int[grown];
            waiting = new int[grown];
            serverLoad = new int[grown];
            inFlightAtScrape = new int[grown];
            inFlight = new int[grown];
            capacityWeight = new double[grown];
            kvCacheUsage = new double[grown];
            scores = new double[grown];
            totals = new double[grown];
        }
        System.arraycopy(serving, 0, slots, 0, capacity);
        count = capacity;
    }

    /**
     * The index of the candidate at snapshot slot {@code slot}, or a negative number when that endpoint
     * is not a candidate of this pick (or {@code slot} is negative). Candidates are in slot order, so
     * this bisects.
     */
    int indexOf(int slot) {
        return slot < 0 ? -1 : Arrays.binarySearch(slots, 0, count, slot);
    }

    /** Grows the prefix-affinity scratch to hold {@code endpoints} entries. */
    void reservePrefixMatches(int endpoints) {
        if (prefixIds.length < endpoints) {
            prefixIds = new String[endpoints];
            prefixBlocks = new int[endpoints];
        }
    }

    /**
     * The requests on an endpoint as the gateway estimates them at pick time: what the server
     * reported at its last scrape plus what the gateway sent since, or the gateway's own in-flight
     * count alone when the server's figure is unknown ({@code serverLoad < 0}). Arguments are one
     * candidate's entries of {@link #serverLoad}, {@link #inFlightAtScrape} and {@link #inFlight}.
     */
    static int estimatedLoad(int serverLoad, int inFlightAtScrape, int inFlight) {
        return serverLoad < 0 ? inFlight : serverLoad + Math.max(0, inFlight - inFlightAtScrape);
    }

    /** Copies the figures of the endpoints at {@code slots[0..count)} out of {@code fleet} and {@code live}. */
    void gather(FleetSnapshot fleet, InFlight live) {
        int count = this.count;
        // locals, not fields, in the loop: the JIT then keeps them in registers
        int[] slots = this.slots;
        int[] waiting = this.waiting;
        int[] serverLoad = this.serverLoad;
        int[] inFlightAtScrape = this.inFlightAtScrape;
        int[] inFlight = this.inFlight;
        double[] capacityWeight = this.capacityWeight;
        double[] kvCacheUsage = this.kvCacheUsage;
        for (int i = 0; i < count; i++) {
            int slot = slots[i];
            EndpointLoad load = fleet.load(slot);
            boolean stale = load.stale();
            inFlight[i] = live.count(slot);
            capacityWeight[i] = fleet.capacityWeight(slot);
            waiting[i] = stale ? -1 : load.waiting();
            serverLoad[i] = stale || load.waiting() < 0 || load.running() < 0 ? -1 : load.waiting() + load.running();
            inFlightAtScrape[i] = stale ? -1 : load.inFlightAtScrape();
            kvCacheUsage[i] = stale ? Double.NaN : load.kvCacheUsage();
        }
    }
}
