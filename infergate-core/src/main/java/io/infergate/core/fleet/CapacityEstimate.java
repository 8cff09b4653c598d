package io.infergate.core.fleet;

import io.infergate.core.engine.EngineProfile;
import io.infergate.core.engine.EngineProfiles;

import java.util.List;
import java.util.Locale;

/**
 * What the gateway has learnt of one endpoint's {@link BatchCapacity} from its scrapes. The first known of
 * these is the capacity: a limit the server exports, unless the server was seen taking fewer; else the plateau of its running count while requests
 * waited on it ({@value #PLATEAU_SCRAPES} scrapes in a row with requests waiting and the same running count;
 * raised whenever the server runs more); else the engine default for its declared accelerator. Immutable: each
 * scrape makes the next estimate.
 *
 * <pre>{@code
 * CapacityEstimate estimate = CapacityEstimate.declared(endpoint);
 * estimate = estimate.observe(exportedLimit, waiting, running);   // after each scrape of the server
 * BatchCapacity capacity = estimate.capacity();
 * }</pre>
 *
 * @param declared      the engine default for the endpoint's accelerator, or {@link BatchCapacity#UNKNOWN}
 * @param exported      the limit the server exported on its last scrape, or 0
 * @param observed      the plateau of the running count while requests waited, or 0 before one was seen
 * @param lastRunningWhileWaiting the running count of the previous scrape if requests were waiting then, else -1
 * @param sameRunningScrapes      how many scrapes in a row, up to the last, saw requests waiting and that running count
 */
public record CapacityEstimate(BatchCapacity declared, int exported, int observed, int lastRunningWhileWaiting,
                               int sameRunningScrapes) {

    /**
     * Scrapes in a row that must see requests waiting and the same running count: fewer could take a server
     * still filling its batch (its prefill budget admits only so many per step) for a full one.
     */
    public static final int PLATEAU_SCRAPES = 3;

    /** Nothing known and nothing declared. */
    public static final CapacityEstimate NONE = new CapacityEstimate(BatchCapacity.UNKNOWN, 0, 0, -1, 0);

    /**
     * The estimate before any scrape: the running-batch size of the endpoint's {@code engine_profile}, else
     * of the built-in engine profile whose name starts with a word of the endpoint's accelerator type (e.g. {@code NVIDIA_L4} → {@code l4-llama3-8b}: vLLM's
     * default {@code --max-num-seqs}), else nothing.
     */
    public static CapacityEstimate declared(Endpoint endpoint) {
        if (!endpoint.engineProfile().isEmpty()) {
            return declared(EngineProfiles.named(endpoint.engineProfile()));
        }
        if (endpoint.accelerator().count() == 0) {
            return NONE;
        }
        List<String> words = List.of(endpoint.accelerator().type().toLowerCase(Locale.ROOT).split("[^a-z0-9]+"));
        for (EngineProfile profile : EngineProfiles.all()) {
            String gpu = profile.name().substring(0, Math.max(0, profile.name().indexOf('-')));
            if (words.contains(gpu)) {
                return declared(profile);
            }
        }
        return NONE;
    }

    private static CapacityEstimate declared(EngineProfile profile) {
        return new CapacityEstimate(new BatchCapacity(profile.maxNumSeqs(), BatchCapacity.Source.DECLARED), 0, 0, -1, 0);
    }

    /**
     * The estimate after a scrape that found {@code exportedLimit} (-1 when the server exports none),
     * {@code waiting} and {@code running} (-1 when unknown).
     */
    public CapacityEstimate observe(int exportedLimit, int waiting, int running) {
        int plateau = observed;
        int last = -1;
        int same = 0;
        if (running > 0 && waiting > 0) {
            last = running;
            same = running == lastRunningWhileWaiting ? sameRunningScrapes + 1 : 1;
            if (same >= PLATEAU_SCRAPES) {
                plateau = running;
            }
        }
        if (plateau > 0 && running > plateau) {
            plateau = running;
        }
        return new CapacityEstimate(declared, Math.max(0, exportedLimit), plateau, last, same);
    }

    /** The capacity, from the most trusted source that knows one. */
    public BatchCapacity capacity() {
        // A plateau below the exported limit is what the server really takes (its KV cache holds fewer).
        if (exported > 0 && (observed == 0 || observed >= exported)) {
            return new BatchCapacity(exported, BatchCapacity.Source.EXPORTED);
        }
        if (observed > 0) {
            return new BatchCapacity(observed, BatchCapacity.Source.OBSERVED);
        }
        return declared;
    }
}
