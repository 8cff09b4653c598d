package io.infergate.gateway.event;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.request.RoutingRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeObserverTest {

    private static final SentAttempt SENT = new SentAttempt(
            new RoutingRequest("r1", "m", 100, 16, true, "standard", "t", "", RoutingRequest.NO_PREFIX),
            Endpoint.builder("e1", URI.create("http://127.0.0.1:1")).build(), EndpointLoad.UNKNOWN, 0, 5);

    /** Writes every event it hears, tagged with its name. */
    private record Recording(String name, List<String> heard) implements ExchangeObserver {
        @Override
        public AttemptObserver attemptSent(SentAttempt attempt) {
            heard.add(name + " sent " + attempt.request().requestId());
            return new AttemptObserver() {
                @Override
                public void firstToken(long nowNanos) {
                    heard.add(name + " first " + nowNanos);
                }

                @Override
                public void tokens(int generated, long nowNanos) {
                    heard.add(name + " tokens " + generated);
                }

                @Override
                public void answered(int outputTokens, long nowNanos) {
                    heard.add(name + " answered " + outputTokens);
                }

                @Override
                public void ended(long nowNanos) {
                    heard.add(name + " ended " + nowNanos);
                }
            };
        }
    }

    @Test
    void withNoObserverNothingListens() {
        assertThat(ExchangeObserver.of(List.of())).isSameAs(ExchangeObserver.NONE);
        assertThat(ExchangeObserver.of(List.of(ExchangeObserver.NONE))).isSameAs(ExchangeObserver.NONE);
        assertThat(ExchangeObserver.NONE.attemptSent(SENT)).isSameAs(AttemptObserver.NONE);
    }

    @Test
    void oneObserverIsUsedAsItIs() {
        Recording one = new Recording("a", new ArrayList<>());
        assertThat(ExchangeObserver.of(List.of(one, ExchangeObserver.NONE))).isSameAs(one);
    }

    @Test
    void severalObserversEachHearEveryEventInOrder() {
        List<String> heard = new ArrayList<>();
        ExchangeObserver both = ExchangeObserver.of(List.of(new Recording("a", heard), new Recording("b", heard)));

        AttemptObserver attempt = both.attemptSent(SENT);
        attempt.firstToken(7);
        attempt.tokens(2, 8);
        attempt.answered(16, 9);
        attempt.ended(10);

        assertThat(heard).containsExactly("a sent r1", "b sent r1", "a first 7", "b first 7", "a tokens 2",
                "b tokens 2", "a answered 16", "b answered 16", "a ended 10", "b ended 10");
    }

    @Test
    void observersThatIgnoreAnAttemptAreLeftOut() {
        List<String> heard = new ArrayList<>();
        ExchangeObserver ignoring = new ExchangeObserver() {
        };
        ExchangeObserver both = ExchangeObserver.of(List.of(ignoring, new Recording("a", heard)));

        AttemptObserver attempt = both.attemptSent(SENT);

        assertThat(attempt).isNotInstanceOf(ExchangeObserver.AllOf.class);
        attempt.ended(3);
        assertThat(heard).containsExactly("a sent r1", "a ended 3");
    }

    @Test
    void observersThatHearOnlyTheExchangeGetNoAttemptObserverAndHearItsEvents() {
        List<String> heard = new ArrayList<>();
        ExchangeObserver counting = new ExchangeObserver() {
            @Override
            public void picked(EndpointPicked pick) {
                heard.add("picked " + pick.chosenId());
            }

            @Override
            public void firstByte(SentAttempt attempt, long nowNanos) {
                heard.add("first byte " + nowNanos);
            }

            @Override
            public void attemptFailed(SentAttempt attempt, String kind, long nowNanos) {
                heard.add("failed " + kind);
            }

            @Override
            public void attemptEnded(SentAttempt attempt, long nowNanos) {
                heard.add("ended " + nowNanos);
            }

            @Override
            public void done(ExchangeEnd end) {
                heard.add("done " + end.outcome().label());
            }
        };
        ExchangeObserver both = ExchangeObserver.of(List.of(counting, new ExchangeObserver() {
        }));

        both.picked(new EndpointPicked(SENT.request(), null, null, 1, 2, Set.of(), "e1", 3));
        assertThat(both.attemptSent(SENT)).as("no per-chunk work for them").isSameAs(AttemptObserver.NONE);
        both.attemptFailed(SENT, "timeout", 4);
        both.attemptEnded(SENT, 5);
        both.firstByte(SENT, 6);
        both.done(new ExchangeEnd("m", "e1", Outcome.SUCCESS, 7));

        assertThat(heard).containsExactly("picked e1", "failed timeout", "ended 5", "first byte 6", "done success");
    }
}
