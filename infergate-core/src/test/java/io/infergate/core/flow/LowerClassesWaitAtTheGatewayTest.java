package io.infergate.core.flow;

import io.infergate.core.fleet.CapacityEstimate;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Default flow settings in front of two servers that learnt their batch of four by its plateau: a sheddable
 * flood fills the batches and waits at the gateway, never in the servers' own queues, so a critical request
 * that arrives starts at the next free place and not behind the flood.
 */
class LowerClassesWaitAtTheGatewayTest {

    private static final String MODEL = "m";
    private static final int BATCH = 4;

    private final FakeTicker ticker = new FakeTicker();
    private final FlowPolicy policy = FlowPolicy.defaults();
    private final FlowController<String> flow = new FlowController<>(policy);
    /** What the gateway sent to each server and has not finished. */
    private final int[] inFlight = new int[2];
    private FleetSnapshot fleet;

    @Test
    void aSheddableFloodWaitsAtTheGatewayAndACriticalRequestTakesTheNextFreePlace() {
        fleet = FleetSnapshot.of(List.of(endpoint("a"), endpoint("b")));
        learnCapacityFromAPlateau();

        // a flood of 30 sheddable requests: eight fill the batches, the rest wait at the gateway
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (flow.admit(FlowRequest.of("shed-" + i, "sheddable", ""), room(), ticker.read())
                    instanceof Admission.Dispatch<String>) {
                send("shed-" + i, sent);
            }
        }
        assertThat(sent).hasSize(2 * BATCH);
        assertThat(flow.queued("sheddable")).isEqualTo(30 - 2 * BATCH);
        assertThat(serverWaiting(0) + serverWaiting(1)).isZero();

        // a critical request arrives while the flood waits; it waits only for the next place to free
        assertThat(flow.admit(FlowRequest.of("crit-1", "critical", ""), room(), ticker.read()))
                .isInstanceOf(Admission.Queued.class);
        finish(0);
        List<Ticket<String>> granted = flow.poll(room(), ticker.read());
        assertThat(granted).extracting(Ticket::payload).containsExactly("crit-1");
        send("crit-1", sent);
        assertThat(serverWaiting(0) + serverWaiting(1)).isZero();

        // critical traffic seen: the next place to free is kept for the next critical request, not given to the flood
        ticker.advance(Duration.ofMillis(100));
        finish(1);
        granted = flow.poll(room(), ticker.read());
        assertThat(granted).isEmpty();
        assertThat(flow.admit(FlowRequest.of("crit-2", "critical", ""), room(), ticker.read()))
                .isInstanceOf(Admission.Dispatch.class);
        send("crit-2", sent);
        assertThat(serverWaiting(0) + serverWaiting(1)).isZero();
    }

    /** Requests waiting in server {@code slot}'s own queue: what it holds beyond its batch. */
    private int serverWaiting(int slot) {
        return Math.max(0, inFlight[slot] - BATCH);
    }

    /** Scrapes of servers flooded before the gateway knew their batch: four running and two waiting, three times. */
    private void learnCapacityFromAPlateau() {
        for (int slot = 0; slot < 2; slot++) {
            CapacityEstimate estimate = fleet.capacityEstimate(slot);
            for (int scrape = 0; scrape < CapacityEstimate.PLATEAU_SCRAPES; scrape++) {
                estimate = estimate.observe(-1, 2, BATCH);
            }
            fleet = fleet.withCapacityEstimate(slot, estimate);
        }
        scrape();
    }

    private Headroom room() {
        return policy.saturation().headroom(fleet, slot -> inFlight[slot], fleet.slotsServing(MODEL),
                policy.reservedForCritical());
    }

    /** Sends a request to the emptiest server that has room for it, as the scheduler would, and scrapes. */
    private void send(String request, List<String> sent) {
        int slot = inFlight[0] <= inFlight[1] ? 0 : 1;
        inFlight[slot]++;
        flow.settleGrant();
        sent.add(request);
        scrape();
    }

    private void finish(int slot) {
        inFlight[slot]--;
        scrape();
    }

    private void scrape() {
        for (int slot = 0; slot < 2; slot++) {
            fleet = fleet.withLoad(slot, new EndpointLoad(serverWaiting(slot), Math.min(BATCH, inFlight[slot]), 0.1,
                    Double.NaN, Double.NaN, inFlight[slot], ticker.read(), false, true, Lifecycle.READY));
        }
    }

    private static Endpoint endpoint(String id) {
        return Endpoint.builder(id, URI.create("http://127.0.0.1:9000/" + id)).models(Set.of(MODEL)).build();
    }
}
