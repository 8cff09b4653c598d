package io.infergate.core.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineModelTest {

    private static final long MS = 1_000_000L;

    /** Step = 10 ms + 1 ms per decoding sequence + 0.1 ms per prompt token prefilled. */
    private static final EngineProfile PROFILE = EngineProfile.builder("test")
            .maxNumSeqs(4).maxBatchedTokens(8192).kvCacheTokens(10_000).maxModelLen(4096)
            .stepBaseNanos(10 * MS).stepNanosPerSeq(MS).prefillNanosPerToken(100_000)
            .defaultOutputTokens(16)
            .build();

    @Test
    void firstTokenComesWhenThePrefillStepEndsSoItGrowsWithPromptLength() {
        assertThat(firstTokenNanos(100)).isEqualTo(20 * MS);      // 10 + 100 × 0.1
        assertThat(firstTokenNanos(1000)).isEqualTo(110 * MS);    // 10 + 1000 × 0.1
    }

    @Test
    void tokensOfALoneRequestComeOneDecodeStepApart() {
        EngineModel engine = new EngineModel(PROFILE);
        long id = engine.submit(0, 100, 4);

        List<EngineEvent> events = runUntilIdle(engine);

        assertThat(events).containsExactly(
                new EngineEvent.Token(id, 0, 20 * MS),
                new EngineEvent.Token(id, 1, 31 * MS),
                new EngineEvent.Token(id, 2, 42 * MS),
                new EngineEvent.Token(id, 3, 53 * MS),
                new EngineEvent.Finished(id, 53 * MS, 100, 4));
    }

    @Test
    void decodeStepsTakeLongerWhenTheBatchIsLarger() {
        EngineModel alone = new EngineModel(PROFILE);
        alone.submit(0, 10, 3);
        EngineModel crowded = new EngineModel(PROFILE);
        for (int i = 0; i < 4; i++) {
            crowded.submit(0, 10, 3);
        }

        long aloneStep = secondTokenGap(runUntilIdle(alone));
        long crowdedStep = secondTokenGap(runUntilIdle(crowded));

        assertThat(aloneStep).isEqualTo(11 * MS);
        assertThat(crowdedStep).isEqualTo(14 * MS);
    }

    @Test
    void requestsArrivingAtTheSameInstantArePrefilledInOneStep() {
        EngineModel engine = new EngineModel(PROFILE);
        engine.submit(0, 100, 1);
        engine.submit(0, 100, 1);

        List<EngineEvent> events = runUntilIdle(engine);

        assertThat(tokens(events)).extracting(EngineEvent::atNanos).containsOnly(30 * MS); // 10 + 200 × 0.1
    }

    @Test
    void aRequestArrivingDuringAStepWaitsForTheNextStep() {
        EngineModel engine = new EngineModel(PROFILE);
        engine.submit(0, 100, 3);                  // prefill step 0..20 ms
        long late = engine.submit(5 * MS, 100, 1); // joins the step starting at 20 ms

        List<EngineEvent> events = runUntilIdle(engine);

        assertThat(events).contains(new EngineEvent.Token(late, 0, 41 * MS)); // 20 + 10 + 1 decode + 100 × 0.1
    }

    @Test
    void theRunningBatchNeverHoldsMoreThanMaxNumSeqs() {
        EngineModel engine = new EngineModel(PROFILE);
        for (int i = 0; i < 6; i++) {
            engine.submit(0, 50, 5);
        }

        engine.advanceTo(0);

        assertThat(engine.stats().running()).isEqualTo(4);
        assertThat(engine.stats().waiting()).isEqualTo(2);
        int mostRunning = 0;
        while (engine.nextEventNanos() != EngineModel.IDLE) {
            engine.advanceTo(engine.nextEventNanos());
            mostRunning = Math.max(mostRunning, engine.stats().running());
        }
        assertThat(mostRunning).isEqualTo(4);
        assertThat(engine.stats().finishedRequests()).isEqualTo(6);
    }

    @Test
    void requestsThatDoNotFitInTheKvCacheWaitUntilSpaceIsFreed() {
        EngineProfile smallCache = PROFILE.toBuilder().kvCacheTokens(1024).maxModelLen(1024).build();
        EngineModel engine = new EngineModel(smallCache);
        long first = engine.submit(0, 400, 100);    // reserves 512 tokens (whole blocks of 16)
        engine.submit(0, 400, 100);
        long third = engine.submit(0, 400, 100);

        engine.advanceTo(0);

        assertThat(engine.stats().running()).isEqualTo(2);
        assertThat(engine.stats().waiting()).isEqualTo(1);
        assertThat(engine.stats().kvCacheUsage()).isEqualTo(1.0);
        List<EngineEvent> events = runUntilIdle(engine);
        long firstFinished = finishedAt(events, first);
        long thirdFirstToken = tokens(events).stream().filter(t -> t.requestId() == third && t.first())
                .findFirst().orElseThrow().atNanos();
        assertThat(thirdFirstToken).isGreaterThan(firstFinished);
        assertThat(engine.stats().kvCacheUsage()).isZero();
    }

    @Test
    void tokenCountsAreExact() {
        EngineModel engine = new EngineModel(PROFILE);
        int[][] requests = {{17, 5}, {300, 1}, {1, 40}, {2000, 12}, {64, 64}, {5, 0}};
        List<Long> ids = new ArrayList<>();
        for (int[] r : requests) {
            ids.add(engine.submit(0, r[0], r[1]));
        }

        List<EngineEvent> events = runUntilIdle(engine);

        for (int i = 0; i < requests.length; i++) {
            long id = ids.get(i);
            assertThat(tokens(events)).filteredOn(t -> t.requestId() == id).extracting(EngineEvent.Token::index)
                    .containsExactlyElementsOf(range(requests[i][1]));
        }
        EngineStats stats = engine.stats();
        assertThat(stats.promptTokens()).isEqualTo(17 + 300 + 1 + 2000 + 64 + 5);
        assertThat(stats.generationTokens()).isEqualTo(5 + 1 + 40 + 12 + 64);
        assertThat(stats.finishedRequests()).isEqualTo(6);
        assertThat(stats.running()).isZero();
        assertThat(stats.waiting()).isZero();
    }

    @Test
    void longPromptsArePrefilledInChunksWhileOthersKeepDecoding() {
        EngineModel engine = new EngineModel(PROFILE.toBuilder().maxBatchedTokens(256).build());
        long decoding = engine.submit(0, 10, 6);     // prefill 0..11 ms
        engine.advanceTo(0);
        long longPrompt = engine.submit(MS, 1000, 1); // 255 + 255 + 255 + 235 tokens in four steps from 11 ms

        List<EngineEvent> events = runUntilIdle(engine);

        long ttft = tokens(events).stream().filter(t -> t.requestId() == longPrompt).findFirst().orElseThrow().atNanos();
        assertThat(ttft).isEqualTo(11 * MS + 4 * 11 * MS + 1000 * 100_000L);
        assertThat(tokens(events)).filteredOn(t -> t.requestId() == decoding && t.atNanos() <= ttft).hasSize(5);
    }

    @Test
    void anAbortedRequestLeavesRoomForAWaitingOne() {
        EngineModel engine = new EngineModel(PROFILE.toBuilder().maxNumSeqs(1).build());
        long first = engine.submit(0, 10, 100);
        long second = engine.submit(0, 10, 1);
        engine.advanceTo(0);

        assertThat(engine.abort(5 * MS, first)).isTrue();
        List<EngineEvent> events = runUntilIdle(engine);

        assertThat(events).noneMatch(e -> e.requestId() == first);
        assertThat(events).contains(new EngineEvent.Finished(second, 22 * MS, 10, 1)); // step 11..22 ms
        assertThat(engine.abort(30 * MS, first)).isFalse();
        assertThat(engine.stats().finishedRequests()).isEqualTo(1);
    }

    @Test
    void abortingTheOnlyRequestBeforeItsStepStartsLeavesTheEngineIdle() {
        EngineModel engine = new EngineModel(PROFILE);
        long id = engine.submit(0, 10, 10);

        engine.abort(0, id);

        assertThat(engine.advanceTo(0)).isEmpty();
        assertThat(engine.nextEventNanos()).isEqualTo(EngineModel.IDLE);
    }

    @Test
    void aRequestWithoutOutputFinishesAfterPrefillWithoutTokens() {
        EngineModel engine = new EngineModel(PROFILE);
        long id = engine.submit(0, 200, 0);

        assertThat(runUntilIdle(engine)).containsExactly(new EngineEvent.Finished(id, 30 * MS, 200, 0));
    }

    @Test
    void theInstantProfileAnswersAtTheArrivalTime() {
        EngineModel engine = new EngineModel(EngineProfiles.INSTANT);
        long id = engine.submit(7 * MS, 1000, 50);

        List<EngineEvent> events = engine.advanceTo(7 * MS);

        assertThat(events).hasSize(51).allMatch(e -> e.atNanos() == 7 * MS);
        assertThat(events.getLast()).isEqualTo(new EngineEvent.Finished(id, 7 * MS, 1000, 50));
        assertThat(engine.nextEventNanos()).isEqualTo(EngineModel.IDLE);
    }

    @Test
    void theSameCallsGiveTheSameEvents() {
        assertThat(scriptedRun()).isEqualTo(scriptedRun());
    }

    @Test
    void refusesTimeThatGoesBack() {
        EngineModel engine = new EngineModel(PROFILE);
        engine.advanceTo(10 * MS);

        assertThatThrownBy(() -> engine.submit(MS, 10, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nowNanos: 1000000 (expected: >= 10000000, the time the model was last given)");
    }

    @Test
    void refusesRequestsLongerThanTheModelAccepts() {
        EngineModel engine = new EngineModel(PROFILE);

        assertThatThrownBy(() -> engine.submit(0, 4000, 97))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("promptTokens + outputTokens: 4000 + 97 (expected: <= 4096, the maxModelLen of profile test)");
    }

    private static List<EngineEvent> scriptedRun() {
        EngineModel engine = new EngineModel(EngineProfiles.L4_LLAMA3_8B);
        List<EngineEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            engine.submit(i * 7 * MS, 100 + 37 * i, 20 + i);
            events.addAll(engine.advanceTo(i * 7 * MS));
        }
        events.addAll(runUntilIdle(engine));
        return events;
    }

    private static long firstTokenNanos(int promptTokens) {
        EngineModel engine = new EngineModel(PROFILE);
        engine.submit(0, promptTokens, 1);
        return tokens(runUntilIdle(engine)).getFirst().atNanos();
    }

    private static long secondTokenGap(List<EngineEvent> events) {
        List<EngineEvent.Token> tokens = tokens(events);
        long firstRequest = tokens.getFirst().requestId();
        List<EngineEvent.Token> own = tokens.stream().filter(t -> t.requestId() == firstRequest).toList();
        return own.get(2).atNanos() - own.get(1).atNanos();
    }

    private static long finishedAt(List<EngineEvent> events, long id) {
        return events.stream().filter(e -> e instanceof EngineEvent.Finished && e.requestId() == id)
                .findFirst().orElseThrow().atNanos();
    }

    private static List<EngineEvent.Token> tokens(List<EngineEvent> events) {
        return events.stream().filter(EngineEvent.Token.class::isInstance).map(EngineEvent.Token.class::cast).toList();
    }

    private static List<Integer> range(int n) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            indexes.add(i);
        }
        return indexes;
    }

    static List<EngineEvent> runUntilIdle(EngineModel engine) {
        List<EngineEvent> events = new ArrayList<>();
        while (engine.nextEventNanos() != EngineModel.IDLE) {
            events.addAll(engine.advanceTo(engine.nextEventNanos()));
        }
        return events;
    }
}
