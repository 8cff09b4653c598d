package io.infergate.core.predict;

import io.infergate.core.engine.EngineProfile;
import io.infergate.core.engine.EngineProfiles;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.time.FakeTicker;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.infergate.core.predict.TestEndpoints.MS;
import static io.infergate.core.predict.TestEndpoints.endpoint;
import static io.infergate.core.predict.TestEndpoints.scraped;
import static io.infergate.core.predict.TestEndpoints.stream;
import static io.infergate.core.predict.TestEndpoints.unscraped;
import static io.infergate.core.predict.TestEndpoints.whole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyPredictorTest {

    /**
     * The truth the tests run against: an L4 serving Llama-3-8B four times faster than the datasheet
     * prior says (as the demo's emulators, run faster than real time), with at most four sequences.
     */
    private static final EngineProfile FOUR_TIMES_FASTER_L4 = scaled(EngineProfiles.L4_LLAMA3_8B, 0.25);

    private final FakeTicker ticker = new FakeTicker();
    private final LatencyPredictor predictor = LatencyPredictor.create();
    private final Endpoint l4 = endpoint("l4", "NVIDIA_L4");

    @Test
    void learnsAnEndpointsSpeedsWithinAFewRequests() {
        // given an endpoint whose prior is four times too slow
        EngineServer server = new EngineServer(FOUR_TIMES_FASTER_L4);
        Prediction before =
                predictor.predict(stream("probe", 400, 64), l4, server.scrape(ticker.read(), 0), 0, ticker.read());

        // when five streams of 400 prompt and 64 output tokens are answered one after the other
        for (int i = 0; i < 5; i++) {
            sendAndFinish(server, stream("r" + i, 400, 64));
        }

        // then the prediction for the next one is within 10 % of what it takes
        Prediction after =
                predictor.predict(stream("probe", 400, 64), l4, server.scrape(ticker.read(), 0), 0, ticker.read());
        sendAndFinish(server, stream("probe", 400, 64));
        assertThat((double) before.timeToFirstTokenNanos() / server.lastFirstTokenNanos()).isGreaterThan(3);
        assertThat((double) after.timeToFirstTokenNanos()).isCloseTo(server.lastFirstTokenNanos(), withinPercent(10));
        assertThat((double) after.stepNanos()).isCloseTo(server.lastTokenGapNanos(), withinPercent(10));
        assertThat(predictor.speeds(l4, ticker.read()).decodeFactor()).isCloseTo(0.25, within(0.02));
    }

    @Test
    void learnsAFixedOverheadBesidesThePrefillSpeed() {
        // given an endpoint that takes 20 ms per request besides its work, asked short and long prompts
        EngineServer server = new EngineServer(FOUR_TIMES_FASTER_L4, 20 * MS);
        for (int i = 0; i < 12; i++) {
            sendAndFinish(server, stream("r" + i, i % 2 == 0 ? 20 : 1500, 32));
        }

        // then both sizes are predicted within 15 %
        for (int prompt : new int[] {20, 1500}) {
            Prediction prediction = predictor.predict(stream("probe", prompt, 32), l4,
                    server.scrape(ticker.read(), 0), 0, ticker.read());
            sendAndFinish(server, stream("probe", prompt, 32));
            assertThat((double) prediction.timeToFirstTokenNanos()).as("TTFT of a %d-token prompt", prompt)
                    .isCloseTo(server.lastFirstTokenNanos(), withinPercent(15));
        }
        assertThat(predictor.speeds(l4, ticker.read()).overheadNanos()).isBetween(15 * MS, 25 * MS);
    }

    @Test
    void wholeAnswersTeachTheDecodeSpeedThroughTheirEndToEndTimeAndUsage() {
        // given
        EngineServer server = new EngineServer(FOUR_TIMES_FASTER_L4);

        // when only non-streamed answers of 200 output tokens are seen
        for (int i = 0; i < 5; i++) {
            sendAndFinish(server, whole("r" + i, 100, 200));
        }

        // then
        assertThat(predictor.speeds(l4, ticker.read()).decodeFactor()).isCloseTo(0.25, within(0.03));
    }

    @Test
    void tracksAThreeFoldSlowdownWithinThreeSeconds() {
        // given a model that has learnt the endpoint
        EngineServer server = new EngineServer(FOUR_TIMES_FASTER_L4);
        for (int i = 0; i < 5; i++) {
            sendAndFinish(server, stream("warm" + i, 400, 64));
        }

        // when the GPU becomes three times slower and streams keep coming, one every 300 ms, for 5 s
        server.slowDown(scaled(FOUR_TIMES_FASTER_L4, 3));
        long start = ticker.read();
        List<Dispatch> sent = new ArrayList<>();
        while (ticker.read() < start + 5_000 * MS) {
            server.runUntil(ticker.read());
            RoutingRequest request = stream("s" + sent.size(), 400, 16);
            Dispatch dispatch = predictor.sent(request, l4, server.scrape(ticker.read(), 0), 0, ticker.read());
            server.submit(dispatch, request, ticker.read());
            sent.add(dispatch);
            ticker.advanceMillis(300);
        }
        server.runUntilIdle();

        // then the first was predicted about three times too fast; those sent 3 s on (and answered
        // while the traffic still ran) within a quarter
        Dispatch first = sent.getFirst();
        assertThat(error(first.prediction().timeToFirstTokenNanos(), server.firstTokenNanos(first))).isGreaterThan(0.6);
        assertThat(error(first.prediction().endToEndNanos(), server.endToEndNanos(first))).isGreaterThan(0.6);
        List<Dispatch> late = sent.stream()
                .filter(d -> d.sentAtNanos() >= start + 3_000 * MS && d.sentAtNanos() < start + 4_000 * MS)
                .toList();
        assertThat(late).hasSize(4);
        for (Dispatch dispatch : late) {
            assertThat(error(dispatch.prediction().timeToFirstTokenNanos(), server.firstTokenNanos(dispatch)))
                    .isLessThan(0.25);
            assertThat(error(dispatch.prediction().endToEndNanos(), server.endToEndNanos(dispatch))).isLessThan(0.25);
        }
    }

    /** The prediction error, |predicted - observed| / observed. */
    private static double error(long predicted, long observed) {
        return Math.abs(predicted - observed) / (double) observed;
    }

    @Test
    void stalledAnswersAmongNormalOnesDoNotSwingTheModel() {
        // given a learnt endpoint
        EngineServer server = new EngineServer(FOUR_TIMES_FASTER_L4);
        for (int i = 0; i < 8; i++) {
            sendAndFinish(server, stream("warm" + i, 400, 64));
        }
        EndpointSpeeds learnt = predictor.speeds(l4, ticker.read());

        // when one stream in four stalls twice: 2 s before its first token, 2 s in the middle
        for (int i = 0; i < 12; i++) {
            if (i % 4 == 0) {
                observeStalled(stream("stalled" + i, 400, 64), server.lastTokenGapNanos());
            } else {
                sendAndFinish(server, stream("normal" + i, 400, 64));
            }
        }

        // then
        EndpointSpeeds now = predictor.speeds(l4, ticker.read());
        assertThat(now.prefillFactor()).isCloseTo(learnt.prefillFactor(), withinPercent(10));
        assertThat(now.decodeFactor()).isCloseTo(learnt.decodeFactor(), withinPercent(10));
    }

    @Test
    void requestsSentSinceTheScrapeJoinTheBacklogUntilTheyFinish() {
        // given a scrape at t = 0 showing 2 running, and three requests sent after it
        EndpointLoad load = scraped(0, 2, 0.1, 0);
        ticker.advanceMillis(10);
        Dispatch first = predictor.sent(stream("a", 1000, 64), l4, load, 0, ticker.read());
        Dispatch second = predictor.sent(stream("b", 300, 64), l4, load, 1, ticker.read());
        predictor.sent(stream("c", 200, 64), l4, load, 2, ticker.read());

        // then
        Backlog backlog = predictor.predict(stream("d", 100, 64), l4, load, 3, ticker.read()).backlog();
        assertThat(backlog.requestsAhead()).isEqualTo(5);
        assertThat(backlog.unprefilledTokens()).isEqualTo(1500);
        assertThat(backlog.scraped()).isTrue();

        // when the first gets its first token and the second finishes
        first.firstToken(ticker.read() + 50 * MS);
        second.firstToken(ticker.read() + 60 * MS);
        second.finished(64, ticker.read() + 900 * MS);

        // then
        backlog = predictor.predict(stream("d", 100, 64), l4, load, 2, ticker.read()).backlog();
        assertThat(backlog.requestsAhead()).isEqualTo(4);
        assertThat(backlog.unprefilledTokens()).isEqualTo(200);
    }

    @Test
    void requestsSentButNotRecordedCountAtTheMeanSizeThroughTheInFlightCount() {
        // given a scrape taken when the gateway had 1 request in flight; now it has 4
        EndpointLoad load = scraped(0, 2, 0.1, 1, 0);

        // when
        Backlog backlog = predictor.predict(stream("x", 100, 64), l4, load, 4, ticker.read()).backlog();

        // then the three sent since count, at the mean prompt of 512 tokens
        assertThat(backlog.requestsAhead()).isEqualTo(5);
        assertThat(backlog.unprefilledTokens()).isEqualTo(3 * 512);
    }

    @Test
    void aBatchSeenFullWithRequestsWaitingMakesTheNextOnesQueue() {
        // given a scrape showing 4 running and 2 waiting when a request was sent
        predictor.sent(stream("a", 100, 64), l4, scraped(2, 4, 0.3, 0), 0, ticker.read()).abandoned();

        // when a later scrape shows 4 running and none waiting
        Prediction full = predictor.predict(stream("b", 100, 64), l4, scraped(0, 4, 0.3, 0), 0, ticker.read());
        Prediction room = predictor.predict(stream("b", 100, 64), l4, scraped(0, 3, 0.3, 0), 0, ticker.read());

        // then the next request waits for a slot, where with one free it would not
        assertThat(full.backlog().batchLimit()).isEqualTo(4);
        assertThat(full.queueWaitNanos()).isPositive();
        assertThat(room.queueWaitNanos()).isZero();
        assertThat(full.timeToFirstTokenNanos()).isGreaterThan(room.timeToFirstTokenNanos());
    }

    @Test
    void theWaitForASlotIsWhatTheRunningAnswersHaveLeftNotAMeanService() {
        // given an L4 known to run 4 sequences, sent 4 streams of 200 output tokens that all started
        predictor.scraped(l4, scraped(1, 4, 0.3, ticker.read()));
        EndpointLoad empty = scraped(0, 0, 0.0, ticker.read());
        ticker.advanceMillis(1);
        List<Dispatch> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(predictor.sent(stream("r" + i, 100, 200), l4, empty, i, ticker.read()));
        }
        ticker.advanceMillis(50);
        running.forEach(dispatch -> dispatch.firstToken(ticker.read()));
        EndpointLoad full = scraped(0, 4, 0.3, 4, ticker.read());
        Prediction atTheirStart = predictor.predict(stream("x", 100, 64), l4, full, 4, ticker.read());

        // when each has 10 tokens left
        running.forEach(dispatch -> dispatch.tokens(190, ticker.read()));
        Prediction nearTheirEnd = predictor.predict(stream("x", 100, 64), l4, full, 4, ticker.read());

        // then the next request waits for the first of them to end: 199 steps, then 10
        double step = predictor.speeds(l4, ticker.read()).stepNanos(4);
        assertThat((double) atTheirStart.queueWaitNanos()).isCloseTo(199 * step, withinPercent(1));
        assertThat((double) nearTheirEnd.queueWaitNanos()).isCloseTo(10 * step, withinPercent(1));
        assertThat(nearTheirEnd.backlog().slotWaitNanos()).isEqualTo(nearTheirEnd.queueWaitNanos());
    }

    @Test
    void anAnswerNotStreamedIsTakenToProgressAsPredicted() {
        // given an L4 known to run 1 sequence, running one whole answer of 200 tokens
        predictor.scraped(l4, scraped(1, 1, 0.3, ticker.read()));
        Dispatch answer = predictor.sent(whole("a", 100, 200), l4, scraped(0, 0, 0.0, ticker.read()), 0,
                ticker.read());
        long predictedEnd = answer.prediction().endToEndNanos();
        EndpointLoad busy = scraped(0, 1, 0.3, 1, ticker.read());
        long waitAtStart = predictor.predict(stream("x", 100, 64), l4, busy, 1, ticker.read()).queueWaitNanos();

        // when three quarters of its predicted time have passed, no token seen
        ticker.advance(Duration.ofNanos(predictedEnd * 3 / 4));
        long waitLater = predictor.predict(stream("x", 100, 64), l4, busy, 1, ticker.read()).queueWaitNanos();

        // then about a quarter of the wait is left
        assertThat((double) waitLater / waitAtStart).isCloseTo(0.25, within(0.05));
    }

    @Test
    void aNearlyFullKvCacheLowersTheBatchLimit() {
        // when 2 sequences take 95 % of the KV cache
        Prediction prediction =
                predictor.predict(stream("a", 100, 64), l4, scraped(0, 2, 0.95, 0), 0, ticker.read());

        // then no third fits: the request waits
        assertThat(prediction.backlog().batchLimit()).isEqualTo(2);
        assertThat(prediction.queueWaitNanos()).isPositive();
    }

    @Test
    void withoutScrapedFiguresTheGatewaysOwnRequestsAreTheBacklogAndSpeedsAreStillLearnt() {
        // given an endpoint that exports nothing, and four streams the gateway has on it
        EngineServer server = new EngineServer(FOUR_TIMES_FASTER_L4);
        for (int i = 0; i < 4; i++) {
            RoutingRequest request = stream("o" + i, 400, 64);
            server.submit(predictor.sent(request, l4, unscraped(), i, ticker.read()), request, ticker.read());
        }

        // then
        Backlog backlog = predictor.predict(stream("x", 400, 64), l4, unscraped(), 4, ticker.read()).backlog();
        assertThat(backlog.scraped()).isFalse();
        assertThat(backlog.requestsAhead()).isEqualTo(4);
        assertThat(backlog.unprefilledTokens()).isEqualTo(1600);

        // when they are answered
        ticker.advance(Duration.ofNanos(server.runUntilIdle()));

        // then
        assertThat(predictor.predict(stream("x", 400, 64), l4, unscraped(), 0, ticker.read()).backlog().requestsAhead())
                .isZero();
        assertThat(predictor.speeds(l4, ticker.read()).decodeFactor()).isCloseTo(0.25, within(0.03));
    }

    @Test
    void withoutAFreshScrapeAnEndpointNeverSeenFullIsProbedNotTakenAtItsPriorsBatch() {
        // given an L4 (prior: a batch of dozens) whose figures went stale, and 12 streams the gateway has on it
        for (int i = 0; i < 12; i++) {
            predictor.sent(stream("o" + i, 400, 64), l4, unscraped(), i, ticker.read());
        }

        // when
        Prediction prediction = predictor.predict(stream("x", 400, 64), l4, unscraped(), 12, ticker.read());

        // then the batch is assumed small, so the request waits behind the streams instead of joining them all
        assertThat(prediction.backlog().batchLimit()).isEqualTo(EndpointModel.MIN_PROBED_BATCH);
        assertThat(prediction.queueWaitNanos()).isPositive();
    }

    @Test
    void tokensThatComeInBurstsTeachNoDecodeSpeed() {
        // given an endpoint learnt at its true speed
        EngineServer server = new EngineServer(FOUR_TIMES_FASTER_L4);
        for (int i = 0; i < 5; i++) {
            sendAndFinish(server, stream("r" + i, 400, 64));
        }
        double learnt = predictor.speeds(l4, ticker.read()).decodeFactor();

        // when five streams' tokens reach the gateway 32 at a time, a millisecond apart (held up on the way)
        for (int i = 0; i < 5; i++) {
            long sent = ticker.read();
            Dispatch dispatch = predictor.sent(stream("b" + i, 400, 64), l4, scraped(0, 0, 0, sent), 0, sent);
            dispatch.firstToken(sent + 100 * MS);
            dispatch.tokens(32, sent + 101 * MS);
            dispatch.tokens(64, sent + 102 * MS);
            dispatch.finished(64, sent + 102 * MS);
            ticker.advance(Duration.ofMillis(200));
        }

        // then
        assertThat(predictor.speeds(l4, ticker.read()).decodeFactor()).isCloseTo(learnt, within(0.01));
    }

    @Test
    void aNewEndpointStartsAtTheSpeedTheFleetRunsAt() {
        // given a fleet seen to run four times faster than its priors
        EngineServer server = new EngineServer(FOUR_TIMES_FASTER_L4);
        for (int i = 0; i < 5; i++) {
            sendAndFinish(server, stream("r" + i, 400, 64));
        }

        // when another L4 joins
        EndpointSpeeds newcomer = predictor.speeds(endpoint("l4-new", "NVIDIA_L4"), ticker.read());

        // then
        assertThat(newcomer.decodeFactor()).isCloseTo(0.25, within(0.03));
    }

    @Test
    void aFewSlowFirstSamplesWeighLessAndFadeSoTheEndpointIsTriedAgain() {
        // given a fleet seen running four times faster than the prior
        EngineServer fast = new EngineServer(FOUR_TIMES_FASTER_L4);
        for (int i = 0; i < 20; i++) {
            sendAndFinish(fast, stream("r" + i, 100, 64));
        }
        // and a new L4 whose first stream ran five times slower than the fleet (say, still warming up)
        Endpoint cold = endpoint("l4-cold", "NVIDIA_L4");
        sendAndFinish(new EngineServer(scaled(EngineProfiles.L4_LLAMA3_8B, 1.25)), cold, stream("c", 100, 64));
        // while the rest of the fleet goes on as before
        for (int i = 0; i < 8; i++) {
            sendAndFinish(fast, stream("s" + i, 100, 64));
        }

        // then it is taken as slow, but its few samples give way to the fleet's speed as they age
        double now = predictor.speeds(cold, ticker.read()).decodeFactor();
        double after40s = predictor.speeds(cold, ticker.read() + 40_000 * MS).decodeFactor();
        double after90s = predictor.speeds(cold, ticker.read() + 90_000 * MS).decodeFactor();
        assertThat(now).isBetween(0.8, 1.4);
        assertThat(after40s).isBetween(0.25, 0.5);
        assertThat(after90s).isCloseTo(0.25, within(0.03));
        // while the endpoint with many fresh samples keeps its own speed
        assertThat(predictor.speeds(l4, ticker.read()).decodeFactor()).isCloseTo(0.25, within(0.02));
    }

    @Test
    void aRequestWithoutAnOutputBoundIsPredictedAtTheMeanAnswerLength() {
        // given answers of 40 tokens
        EngineServer server = new EngineServer(FOUR_TIMES_FASTER_L4);
        for (int i = 0; i < 100; i++) {
            sendAndFinish(server, stream("r" + i, 50, 40));
        }

        // when
        Prediction prediction =
                predictor.predict(stream("x", 50, -1), l4, scraped(0, 0, 0, ticker.read()), 0, ticker.read());

        // then
        assertThat(prediction.outputTokens()).isBetween(40, 60);
    }

    /** Sends {@code request} to the idle server now, runs it to the end and moves the clock past it. */
    private void sendAndFinish(EngineServer server, RoutingRequest request) {
        sendAndFinish(server, l4, request);
    }

    private void sendAndFinish(EngineServer server, Endpoint endpoint, RoutingRequest request) {
        Dispatch dispatch = predictor.sent(request, endpoint, server.scrape(ticker.read(), 0), 0, ticker.read());
        server.submit(dispatch, request, ticker.read());
        long end = server.runUntilIdle();
        ticker.advance(Duration.ofNanos(end + 10 * MS - ticker.read()));
    }

    /**
     * Reports a stream that stalls twice for 2 s, before its first token and before its 30th, its
     * other tokens {@code gapNanos} apart; no server involved.
     */
    private void observeStalled(RoutingRequest request, long gapNanos) {
        long sent = ticker.read();
        Dispatch dispatch = predictor.sent(request, l4, scraped(0, 0, 0, sent), 0, sent);
        long at = sent + 2_000 * MS;
        dispatch.firstToken(at);
        for (int token = 2; token <= request.maxTokens(); token++) {
            at += gapNanos + (token == 30 ? 2_000 * MS : 0);
            dispatch.tokens(token, at);
        }
        dispatch.finished(request.maxTokens(), at);
        ticker.advance(Duration.ofNanos(at + 10 * MS - sent));
    }

    private static EngineProfile scaled(EngineProfile profile, double factor) {
        return profile.toBuilder()
                .maxNumSeqs(4)
                .prefillNanosPerToken(Math.round(profile.prefillNanosPerToken() * factor))
                .stepBaseNanos(Math.round(profile.stepBaseNanos() * factor))
                .stepNanosPerSeq(Math.round(profile.stepNanosPerSeq() * factor))
                .build();
    }

    private static Percentage withinPercent(double percent) {
        return Percentage.withPercentage(percent);
    }
}
