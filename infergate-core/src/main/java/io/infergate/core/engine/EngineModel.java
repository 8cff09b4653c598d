package io.infergate.core.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * One inference server with continuous batching, in virtual time: requests wait in a queue, are
 * admitted into the running batch while it has fewer than {@link EngineProfile#maxNumSeqs()}
 * sequences and the KV cache can hold their prompt and output, are prefilled (in chunks when the
 * step's token budget runs out) and then decoded one token per step. A step's duration follows
 * {@link EngineProfile#stepNanos}, so it grows with the batch and with the prefill it carries.
 *
 * <p>The model never reads a clock: every call is given the virtual time, which must not go back.
 * It is deterministic (same calls, same events) and not thread-safe; a host drives it from one
 * thread. Requests that arrive at the same instant join the same step.
 *
 * <p>KV-cache space is reserved for a request's whole prompt and output when it is admitted, so a
 * running request never has to be preempted; vLLM allocates lazily and preempts instead, which looks
 * the same from outside: when the cache is full, new requests wait.
 *
 * <p>Waiting requests are admitted in the order of the {@link SchedulingPolicy}: by arrival (the
 * default), or by the priority each was submitted with, then arrival, as vLLM's
 * {@code --scheduling-policy priority}. Admission stops at the first waiting request that does not fit.
 *
 * <pre>{@code
 * EngineModel engine = new EngineModel(EngineProfiles.named("a100-llama3-8b"));
 * long id = engine.submit(0, 500, 100);             // 500 prompt tokens, 100 output tokens
 * for (long t = engine.nextEventNanos(); t != EngineModel.IDLE; t = engine.nextEventNanos()) {
 *     for (EngineEvent event : engine.advanceTo(t)) {
 *         System.out.println(event);
 *     }
 * }
 * EngineStats stats = engine.stats();              // generationTokens() == 100
 * }</pre>
 */
public final class EngineModel {

    /** What {@link #nextEventNanos()} returns when nothing is waiting or running. */
    public static final long IDLE = Long.MAX_VALUE;

    private static final long NONE = Long.MIN_VALUE;

    private final EngineProfile profile;
    private final SchedulingPolicy policy;
    private final PriorityQueue<Sequence> waiting;
    private final List<Sequence> running = new ArrayList<>();
    private final Map<Long, Sequence> byId = new HashMap<>();
    private final List<EngineEvent> pending = new ArrayList<>();

    private long nowNanos = NONE;
    private long stepEndNanos = NONE;
    private long nextStepNanos = NONE;
    private long nextId = 1;
    private long kvReservedTokens;
    private long promptTokensTotal;
    private long generationTokensTotal;
    private long finishedTotal;

    /** An engine that admits waiting requests first come, first served. */
    public EngineModel(EngineProfile profile) {
        this(profile, SchedulingPolicy.FCFS);
    }

    public EngineModel(EngineProfile profile, SchedulingPolicy policy) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.waiting = new PriorityQueue<>(policy.order());
    }

    public EngineProfile profile() {
        return profile;
    }

    public SchedulingPolicy policy() {
        return policy;
    }

    /**
     * A request arrives at {@code nowNanos}. It will produce exactly {@code outputTokens} tokens (the
     * host decides where the reply ends); with zero it is prefilled only, like an embedding request.
     *
     * @return the request's id, named by its events
     */
    public long submit(long nowNanos, int promptTokens, int outputTokens) {
        return submit(nowNanos, promptTokens, outputTokens, 0);
    }

    /**
     * A request of {@code priority} arrives at {@code nowNanos}: as {@link #submit(long, int, int)}, and
     * under {@link SchedulingPolicy#PRIORITY} admitted before waiting requests of a higher value.
     */
    public long submit(long nowNanos, int promptTokens, int outputTokens, long priority) {
        if (promptTokens < 1) {
            throw new IllegalArgumentException("promptTokens: " + promptTokens + " (expected: >= 1)");
        }
        if (outputTokens < 0) {
            throw new IllegalArgumentException("outputTokens: " + outputTokens + " (expected: >= 0)");
        }
        if ((long) promptTokens + outputTokens > profile.maxModelLen()) {
            throw new IllegalArgumentException("promptTokens + outputTokens: " + promptTokens + " + "
                    + outputTokens + " (expected: <= " + profile.maxModelLen() + ", the maxModelLen of profile "
                    + profile.name() + ")");
        }
        run(nowNanos, false);
        Sequence seq = new Sequence(nextId++, priority, promptTokens, outputTokens,
                profile.kvReservation(promptTokens + outputTokens));
        waiting.add(seq);
        byId.put(seq.id, seq);
        if (stepEndNanos == NONE && nextStepNanos == NONE) {
            nextStepNanos = nowNanos;
        }
        return seq.id;
    }

    /**
     * Drops a request, e.g. because its client went away, freeing its place and KV-cache blocks.
     * It emits no further event; tokens it already produced stay counted.
     *
     * @return false when the request had already finished or been aborted
     */
    public boolean abort(long nowNanos, long requestId) {
        run(nowNanos, false);
        Sequence seq = byId.remove(requestId);
        if (seq == null) {
            return false;
        }
        if (!waiting.remove(seq)) {
            running.remove(seq);
            kvReservedTokens -= seq.kvTokens;
        }
        return true;
    }

    /**
     * Runs every step that ends at or before {@code nowNanos} and returns the events that happened
     * since the last call, in time order.
     */
    public List<EngineEvent> advanceTo(long nowNanos) {
        run(nowNanos, true);
        List<EngineEvent> events = List.copyOf(pending);
        pending.clear();
        return events;
    }

    /**
     * When {@link #advanceTo} next has something to do: the end of the step in progress, or the start of
     * the next one for requests that just arrived; {@link #IDLE} when there is nothing to do.
     */
    public long nextEventNanos() {
        if (stepEndNanos != NONE) {
            return stepEndNanos;
        }
        return nextStepNanos != NONE ? nextStepNanos : IDLE;
    }

    public EngineStats stats() {
        return new EngineStats(waiting.size(), running.size(),
                (double) kvReservedTokens / profile.kvCacheTokens(),
                promptTokensTotal, generationTokensTotal, finishedTotal);
    }

    /**
     * Completes steps ending by {@code nowNanos} and starts the ones due. A step due exactly at
     * {@code nowNanos} is started only when {@code startDueNow}: a request submitted at that instant
     * must still be able to join it.
     */
    private void run(long nowNanos, boolean startDueNow) {
        if (this.nowNanos != NONE && nowNanos < this.nowNanos) {
            throw new IllegalArgumentException("nowNanos: " + nowNanos
                    + " (expected: >= " + this.nowNanos + ", the time the model was last given)");
        }
        this.nowNanos = nowNanos;
        while (true) {
            if (stepEndNanos != NONE && stepEndNanos <= nowNanos) {
                completeStep();
            } else if (stepEndNanos == NONE && nextStepNanos != NONE
                    && (nextStepNanos < nowNanos || startDueNow && nextStepNanos == nowNanos)) {
                startStep();
            } else {
                return;
            }
        }
    }

    private void startStep() {
        if (running.isEmpty() && waiting.isEmpty()) {
            nextStepNanos = NONE; // the requests it was for were aborted
            return;
        }
        int budget = profile.maxBatchedTokens();
        int decoding = 0;
        for (Sequence seq : running) {
            if (seq.prefilled == seq.promptTokens) {
                seq.decodingInStep = true;
                decoding++;
                budget--;
            }
        }
        int prefill = 0;
        for (Sequence seq : running) {
            if (budget == 0) {
                break;
            }
            if (seq.prefilled < seq.promptTokens) {
                seq.prefillInStep = Math.min(seq.promptTokens - seq.prefilled, budget);
                budget -= seq.prefillInStep;
                prefill += seq.prefillInStep;
            }
        }
        while (budget > 0 && !waiting.isEmpty() && running.size() < profile.maxNumSeqs()
                && kvReservedTokens + waiting.peek().kvTokens <= profile.kvCacheTokens()) {
            Sequence seq = waiting.poll();
            running.add(seq);
            kvReservedTokens += seq.kvTokens;
            seq.prefillInStep = Math.min(seq.promptTokens, budget);
            budget -= seq.prefillInStep;
            prefill += seq.prefillInStep;
        }
        stepEndNanos = nextStepNanos + profile.stepNanos(decoding, prefill);
        nextStepNanos = NONE;
    }

    private void completeStep() {
        long at = stepEndNanos;
        for (Iterator<Sequence> it = running.iterator(); it.hasNext(); ) {
            Sequence seq = it.next();
            if (seq.decodingInStep) {
                emitToken(seq, at);
            } else if (seq.prefillInStep > 0) {
                seq.prefilled += seq.prefillInStep;
                promptTokensTotal += seq.prefillInStep;
                if (seq.prefilled == seq.promptTokens && seq.outputTokens > 0) {
                    emitToken(seq, at);
                }
            }
            seq.decodingInStep = false;
            seq.prefillInStep = 0;
            if (seq.prefilled == seq.promptTokens && seq.generated == seq.outputTokens) {
                it.remove();
                byId.remove(seq.id);
                kvReservedTokens -= seq.kvTokens;
                finishedTotal++;
                pending.add(new EngineEvent.Finished(seq.id, at, seq.promptTokens, seq.outputTokens));
            }
        }
        stepEndNanos = NONE;
        if (!running.isEmpty() || !waiting.isEmpty()) {
            nextStepNanos = at;
        }
    }

    private void emitToken(Sequence seq, long at) {
        pending.add(new EngineEvent.Token(seq.id, seq.generated, at));
        seq.generated++;
        generationTokensTotal++;
    }

    /** One request's progress through the engine; its id is its arrival rank. */
    private static final class Sequence implements SchedulingPolicy.Waiting {
        final long id;
        final long priority;
        final int promptTokens;
        final int outputTokens;
        final int kvTokens;
        int prefilled;
        int generated;
        int prefillInStep;
        boolean decodingInStep;

        Sequence(long id, long priority, int promptTokens, int outputTokens, int kvTokens) {
            this.id = id;
            this.priority = priority;
            this.promptTokens = promptTokens;
            this.outputTokens = outputTokens;
            this.kvTokens = kvTokens;
        }

        @Override
        public long priority() {
            return priority;
        }

        @Override
        public long arrival() {
            return id;
        }
    }
}
