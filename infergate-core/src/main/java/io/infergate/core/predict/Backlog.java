package io.infergate.core.predict;

/**
 * The work in front of a new request on one endpoint, as the gateway estimates it at pick time: what
 * the server reported at its last scrape (waiting and running requests, KV-cache use) plus what the
 * gateway sent it since, or the gateway's own outstanding requests alone when the server exports no
 * figures or the scrape is stale.
 *
 * @param requestsAhead        requests on the endpoint before this one, waiting or running
 * @param unprefilledTokens    prompt tokens of those requests not yet prefilled (they go first)
 * @param batchLimit           sequences the endpoint runs at once now: the running count when requests
 *                             wait, else the most seen running while requests waited (before any scrape
 *                             showed that, twice the most seen running), lowered by what the KV cache holds
 * @param slotWaitNanos        how long a new request would wait for a batch slot, at the endpoint's
 *                             speeds before its learnt queue factor: 0 while the batch has room
 * @param scraped              whether the server's own figures went into it
 */
public record Backlog(int requestsAhead, long unprefilledTokens, int batchLimit, long slotWaitNanos,
                      boolean scraped) {

    public Backlog {
        if (requestsAhead < 0 || unprefilledTokens < 0 || batchLimit < 1 || slotWaitNanos < 0) {
            throw new IllegalArgumentException("backlog: " + requestsAhead + " ahead, " + unprefilledTokens
                    + " unprefilled tokens, batch limit " + batchLimit + ", slot wait " + slotWaitNanos
                    + " ns (expected: >= 0, >= 0, >= 1, >= 0)");
        }
    }

    /** Requests ahead per batch slot: 0 when idle, 1 when a full batch runs, above 1 when requests wait. */
    public double occupancy() {
        return (double) requestsAhead / batchLimit;
    }
}
