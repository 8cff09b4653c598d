package io.infergate.core.schedule;

import io.infergate.core.random.SplitMix;
import io.infergate.core.request.RoutingRequest;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Which endpoints served which prompt prefixes recently: a bounded map from prompt-block hash
 * ({@link RoutingRequest#prefixHashes()}) to the few endpoints that last served a request starting
 * with that block, each with the time it did. The {@code prefix-affinity} scorer reads it to send a
 * request where its prefix is likely still in the server's prefix cache; the gateway writes it after
 * every pick. It holds hashes and endpoint ids only, never prompt text.
 *
 * <pre>{@code
 * PrefixIndex prefixes = PrefixIndex.builder().capacity(65_536).ttl(Duration.ofMinutes(5)).build();
 * Scheduler scheduler = Scheduler.loadAware(SchedulerConfig.defaults(), prefixes, List::of);
 * Pick pick = scheduler.pick(request, fleet, inFlight, now, Set.of());
 * if (pick instanceof Pick.Chosen chosen) {
 *     prefixes.record(request, chosen.endpointId(), now);
 * }
 * }</pre>
 *
 * <p><b>Shape.</b> A set-associative table, as in a CPU cache: a block hash selects one set of
 * {@value #WAYS} entries; a new block replaces the entry of its set served longest ago (or expired),
 * so the index never holds more than {@link Builder#capacity} blocks and forgets the least recently
 * served first, approximately. Each entry keeps up to {@link Builder#endpointsPerBlock} endpoints,
 * replacing the one that served it longest ago. An endpoint's entry older than {@link Builder#ttl} is
 * ignored: the server has likely evicted that prefix since. Keys are primitive longs, so reading
 * allocates nothing.
 *
 * <p><b>Threads.</b> Safe from any thread. The sets are guarded by {@value #STRIPES} striped locks,
 * each held for one block's lookup or update (a few tens of nanoseconds); picks on different event
 * loops rarely meet on the same stripe. A pick that runs while another request's {@link #record} is
 * under way may see some of its blocks and not others; it then matches the shorter prefix.
 */
public final class PrefixIndex {

    static final int WAYS = 8;
    private static final int STRIPES = 64;
    private static final long EMPTY = 0;

    private final int setMask;
    private final int endpointsPerBlock;
    private final long ttlNanos;
    /** Refreshing an entry the same endpoint served less than this long ago is skipped. */
    private final long refreshNanos;
    private final Object[] locks = new Object[STRIPES];
    /** Block hash of each entry, {@code sets * WAYS} of them; {@link #EMPTY} when unused. */
    private final long[] keys;
    /** Endpoints of each entry, {@link #endpointsPerBlock} per entry; null when unused. */
    private final String[] endpointIds;
    /** When each of those endpoints last served the block. */
    private final long[] servedAtNanos;

    private PrefixIndex(Builder builder) {
        int sets = Integer.highestOneBit(Math.max(1, (builder.capacity + WAYS - 1) / WAYS));
        if (sets * WAYS < builder.capacity) {
            sets <<= 1;
        }
        this.setMask = sets - 1;
        this.endpointsPerBlock = builder.endpointsPerBlock;
        this.ttlNanos = builder.ttl.toNanos();
        this.refreshNanos = ttlNanos / 16;
        this.keys = new long[sets * WAYS];
        this.endpointIds = new String[sets * WAYS * endpointsPerBlock];
        this.servedAtNanos = new long[sets * WAYS * endpointsPerBlock];
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Notes that {@code endpointId} is serving {@code request}: every block of its prompt prefix now
     * points at it. Call it after each pick that sends the request (retries and hedges included);
     * a request without prefix hashes costs nothing.
     */
    public void record(RoutingRequest request, String endpointId, long nowNanos) {
        Objects.requireNonNull(endpointId, "endpointId");
        for (long hash : request.prefixHashes()) {
            recordBlock(key(hash), endpointId, nowNanos);
        }
    }

    /**
     * How many leading blocks of {@code request}'s prefix {@code endpointId} served within the TTL:
     * the length of the run from block 0. For the admin API and tests; scorers use {@link #match}.
     */
    public int matchedBlocks(RoutingRequest request, String endpointId, long nowNanos) {
        String[] ids = new String[endpointsPerBlock];
        int[] blocks = new int[endpointsPerBlock];
        int found = match(request.prefixHashes(), nowNanos, ids, blocks);
        for (int j = 0; j < found; j++) {
            if (ids[j].equals(endpointId)) {
                return blocks[j];
            }
        }
        return 0;
    }

    /** The number of blocks held that some endpoint served within the TTL; walks the whole table. */
    public int size(long nowNanos) {
        int size = 0;
        for (int entry = 0; entry < keys.length; entry++) {
            synchronized (lockOf(entry / WAYS)) {
                if (keys[entry] != EMPTY && youngestAge(entry, nowNanos) != Long.MAX_VALUE) {
                    size++;
                }
            }
        }
        return size;
    }

    /** The most endpoints {@link #match} can report: the configured endpoints per block. */
    int endpointsPerBlock() {
        return endpointsPerBlock;
    }

    /**
     * Finds the endpoints that served a prefix of {@code hashes} within the TTL and how long a prefix:
     * fills {@code ids[j]} and {@code blocks[j]} (the run of leading blocks endpoint {@code j} served,
     * at least 1) and returns how many endpoints, at most {@link #endpointsPerBlock()}. Both arrays
     * must hold that many. Stops at the first block nobody still matching served, so a request whose
     * first block is unknown costs one lookup. Allocates nothing.
     */
    int match(long[] hashes, long nowNanos, String[] ids, int[] blocks) {
        if (hashes.length == 0) {
            return 0;
        }
        int found = endpointsServing(key(hashes[0]), nowNanos, ids);
        for (int j = 0; j < found; j++) {
            blocks[j] = 1;
        }
        for (int block = 1; block < hashes.length; block++) {
            long key = key(hashes[block]);
            boolean anyStillMatching = false;
            for (int j = 0; j < found; j++) {
                if (blocks[j] == block && servedAt(key, ids[j], nowNanos)) {
                    blocks[j] = block + 1;
                    anyStillMatching = true;
                }
            }
            if (!anyStillMatching) {
                break;
            }
        }
        return found;
    }

    private void recordBlock(long key, String endpointId, long nowNanos) {
        int set = set(key);
        synchronized (lockOf(set)) {
            int entry = find(set, key);
            if (entry < 0) {
                entry = victim(set, nowNanos);
                keys[entry] = key;
                Arrays.fill(endpointIds, entry * endpointsPerBlock, (entry + 1) * endpointsPerBlock, null);
            }
            int place = placeOf(entry, endpointId);
            if (place >= 0 && age(place, nowNanos) < refreshNanos) {
                return;
            }
            if (place < 0) {
                place = stalestPlace(entry, nowNanos);
            }
            endpointIds[place] = endpointId;
            servedAtNanos[place] = nowNanos;
        }
    }

    /** Copies into {@code ids} the endpoints that served the block within the TTL; returns how many. */
    private int endpointsServing(long key, long nowNanos, String[] ids) {
        int set = set(key);
        synchronized (lockOf(set)) {
            int entry = find(set, key);
            if (entry < 0) {
                return 0;
            }
            int found = 0;
            int first = entry * endpointsPerBlock;
            for (int place = first; place < first + endpointsPerBlock; place++) {
                if (age(place, nowNanos) != Long.MAX_VALUE) {
                    ids[found++] = endpointIds[place];
                }
            }
            return found;
        }
    }

    private boolean servedAt(long key, String endpointId, long nowNanos) {
        int set = set(key);
        synchronized (lockOf(set)) {
            int entry = find(set, key);
            if (entry < 0) {
                return false;
            }
            int place = placeOf(entry, endpointId);
            return place >= 0 && age(place, nowNanos) != Long.MAX_VALUE;
        }
    }

    /** The entry of {@code set} holding {@code key}, or -1. */
    private int find(int set, long key) {
        int first = set * WAYS;
        for (int entry = first; entry < first + WAYS; entry++) {
            if (keys[entry] == key) {
                return entry;
            }
        }
        return -1;
    }

    /** The entry of {@code set} to reuse: an empty one, else the one served longest ago (expired first). */
    private int victim(int set, long nowNanos) {
        int first = set * WAYS;
        int victim = first;
        long victimAge = -1;
        for (int entry = first; entry < first + WAYS; entry++) {
            long age = keys[entry] == EMPTY ? Long.MAX_VALUE : youngestAge(entry, nowNanos);
            if (age > victimAge) {
                victim = entry;
                victimAge = age;
            }
        }
        return victim;
    }

    /** The place of {@code endpointId} among the entry's endpoints, or -1. */
    private int placeOf(int entry, String endpointId) {
        int first = entry * endpointsPerBlock;
        for (int place = first; place < first + endpointsPerBlock; place++) {
            String id = endpointIds[place];
            if (id != null && (id == endpointId || id.equals(endpointId))) {
                return place;
            }
        }
        return -1;
    }

    /** The entry's place to give a new endpoint: an empty one, else the one served longest ago. */
    private int stalestPlace(int entry, long nowNanos) {
        int first = entry * endpointsPerBlock;
        int stalest = first;
        long stalestAge = -1;
        for (int place = first; place < first + endpointsPerBlock; place++) {
            long age = age(place, nowNanos);
            if (age > stalestAge) {
                stalest = place;
                stalestAge = age;
            }
        }
        return stalest;
    }

    /** How long ago the entry was last served by anyone, or {@link Long#MAX_VALUE} if not within the TTL. */
    private long youngestAge(int entry, long nowNanos) {
        long youngest = Long.MAX_VALUE;
        int first = entry * endpointsPerBlock;
        for (int place = first; place < first + endpointsPerBlock; place++) {
            youngest = Math.min(youngest, age(place, nowNanos));
        }
        return youngest;
    }

    /**
     * How long ago the endpoint at {@code place} served its block, or {@link Long#MAX_VALUE} when the
     * place is empty or the serve is older than the TTL (or, with a ticker gone backwards, in the future).
     */
    private long age(int place, long nowNanos) {
        if (endpointIds[place] == null) {
            return Long.MAX_VALUE;
        }
        long age = nowNanos - servedAtNanos[place];
        return age >= 0 && age <= ttlNanos ? age : Long.MAX_VALUE;
    }

    private int set(long key) {
        return (int) (key >>> 32 ^ key) & setMask;
    }

    private Object lockOf(int set) {
        return locks[set & (STRIPES - 1)];
    }

    /** The hash as stored: scrambled so that sets fill evenly, and never {@link #EMPTY}. */
    private static long key(long hash) {
        long key = SplitMix.mix(hash);
        return key == EMPTY ? 1 : key;
    }

    /** Configures a {@link PrefixIndex}; every setting has a default. */
    public static final class Builder {
        private int capacity = 65_536;
        private Duration ttl = Duration.ofMinutes(5);
        private int endpointsPerBlock = 4;

        private Builder() {
        }

        /**
         * How many blocks the index holds at most (rounded up to a multiple of {@value #WAYS});
         * default 65 536, about 5 MB: four million prompt tokens at 64 tokens a block.
         */
        public Builder capacity(int capacity) {
            if (capacity < 1 || capacity > 1 << 24) {
                throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1-16777216)");
            }
            this.capacity = capacity;
            return this;
        }

        /**
         * How long an endpoint is assumed to keep a prefix it served in its cache; default 5 minutes.
         * Entries are refreshed at most every {@code ttl / 16}, so one may expire that much early.
         */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
            }
            this.ttl = ttl;
            return this;
        }

        /** How many endpoints each block remembers; default 4. */
        public Builder endpointsPerBlock(int endpointsPerBlock) {
            if (endpointsPerBlock < 1 || endpointsPerBlock > 16) {
                throw new IllegalArgumentException("endpointsPerBlock: " + endpointsPerBlock + " (expected: 1-16)");
            }
            this.endpointsPerBlock = endpointsPerBlock;
            return this;
        }

        public PrefixIndex build() {
            return new PrefixIndex(this);
        }
    }
}
