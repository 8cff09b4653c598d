package io.infergate.gateway.proxy;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.health.OutlierDetector;
import io.infergate.core.request.RoutingRequest;
import io.infergate.gateway.event.SentAttempt;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PassiveHealthTest {

    private static final Endpoint E1 = Endpoint.builder("e1", URI.create("http://127.0.0.1:1")).models(Set.of("m")).build();
    private static final Endpoint E2 = Endpoint.builder("e2", URI.create("http://127.0.0.1:2")).models(Set.of("m")).build();
    private static final SentAttempt TO_E1 = new SentAttempt(
            new RoutingRequest("r1", "m", 100, 16, true, "standard", "", "", RoutingRequest.NO_PREFIX),
            E1, EndpointLoad.UNKNOWN, 0, 1_000);

    @Test
    void failedAttemptsEjectTheirEndpointAndAFirstByteInBetweenStartsTheCountAgain() {
        OutlierDetector detector = OutlierDetector.builder().consecutiveFailures(2).build();
        detector.track(List.of(E1, E2));
        PassiveHealth health = new PassiveHealth(detector);

        health.attemptFailed(TO_E1, "connect", 2_000);
        health.firstByte(TO_E1, 3_000);
        health.attemptFailed(TO_E1, "timeout", 4_000);
        assertThat(detector.healthy("e1")).as("one failure since the last success").isTrue();

        health.attemptFailed(TO_E1, "status_5xx", 5_000);
        assertThat(detector.healthy("e1")).isFalse();
        assertThat(detector.healthy("e2")).isTrue();
    }
}
