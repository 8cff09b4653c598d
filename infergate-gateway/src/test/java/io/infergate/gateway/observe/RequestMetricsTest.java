package io.infergate.gateway.observe;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.RetryDecision;
import io.infergate.gateway.event.EndpointPicked;
import io.infergate.gateway.event.ExchangeEnd;
import io.infergate.gateway.event.HedgeEvent;
import io.infergate.gateway.event.Outcome;
import io.infergate.gateway.event.SentAttempt;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.fleet.ScrapedFigures;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RequestMetricsTest {

    private static final Endpoint E1 = Endpoint.builder("e1", URI.create("http://127.0.0.1:1")).models(Set.of("m")).build();
    private static final RoutingRequest REQUEST =
            new RoutingRequest("r1", "m", 100, 16, true, "standard", "", "", RoutingRequest.NO_PREFIX);

    private final FleetState fleet = new FleetState(FleetSnapshot.of(List.of(E1)));
    private final GatewayMetrics metrics = new GatewayMetrics(fleet, new ScrapedFigures(1), "round-robin",
            Optional.empty());
    private final RequestMetrics listener = new RequestMetrics(metrics);

    @Test
    void countsPicksFailedAttemptsAndEachRequestsDuration() {
        listener.picked(new EndpointPicked(REQUEST, fleet.snapshot(), fleet.frozenInFlight(), 0, 2_000, Set.of(),
                "e1", 0));
        listener.attemptFailed(new SentAttempt(REQUEST, E1, EndpointLoad.UNKNOWN, 0, 0), "timeout", 5);
        listener.done(new ExchangeEnd("m", "e1", Outcome.SUCCESS, 3_000_000));

        assertThat(metrics.registry().get("infergate.scheduler.pick.duration").timer().count()).isEqualTo(1);
        assertThat(metrics.registry().get("infergate.proxy.errors").tags("kind", "timeout", "endpoint", "e1")
                .counter().count()).isEqualTo(1);
        assertThat(metrics.registry().get("infergate.request.duration")
                .tags("model", "m", "endpoint", "e1", "outcome", "success").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(3);
    }

    @Test
    void countsRetriesHedgesFallbacksAStreamsFirstTokenAndAClientGoneAfterItsAttempt() {
        SentAttempt streamed = new SentAttempt(REQUEST, E1, EndpointLoad.UNKNOWN, 0, 0);
        listener.fellBack("m", "m-small");
        listener.retried("status_5xx");
        listener.gaveUp(RetryDecision.Reason.BUDGET_EXHAUSTED);
        listener.hedged(HedgeEvent.HEDGE_WON);
        listener.firstChunkRelayed(streamed, 4_000_000);
        listener.done(new ExchangeEnd("m", "e1", Outcome.CLIENT_GONE, 5_000_000));
        listener.done(new ExchangeEnd("m", ExchangeEnd.NO_ENDPOINT, Outcome.CLIENT_GONE, 5_000_000));

        String scrape = metrics.scrape();
        assertThat(scrape)
                .contains("infergate_model_fallbacks_total{fallback=\"m-small\",model=\"m\"} 1.0")
                .contains("infergate_retries_total{reason=\"status_5xx\"} 1.0")
                .contains("infergate_hedges_total{event=\"hedge_won\"} 1.0")
                .contains("infergate_time_to_first_token_seconds_count{endpoint=\"e1\",model=\"m\"} 1")
                .contains("infergate_proxy_errors_total{endpoint=\"e1\",kind=\"client_gone\"} 1.0")
                .doesNotContain("endpoint=\"none\",kind=\"client_gone\"");
        assertThat(scrape).contains("infergate_retry_give_ups_total{reason=\"budget-exhausted\"} 1.0");
    }
}
