package io.infergate.gateway.proxy;

import io.infergate.core.model.ModelCatalog;
import io.infergate.core.schedule.Scheduler;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.flow.FlowGate;

import java.util.Objects;

/**
 * What every event loop's proxy shares, assembled once by the gateway: the fleet and how it is picked
 * from, flow control, resilience, the admission guard and the exchange observers (metrics among them), on
 * one ticker.
 *
 * @param fleet      the live fleet and in-flight counts
 * @param scheduler  picks an endpoint for each attempt
 * @param settings   body bound, connect and idle timeouts
 * @param ticker     the clock of every timing on the path
 * @param requestIds gives each request its id
 * @param resilience retries, timeouts, hedging, outlier detection
 * @param flow       priority classes, fair queues, shedding
 * @param models     model aliases and fallbacks
 * @param guard      API keys and rate limits
 * @param drain      the requests in flight while the gateway shuts down
 * @param observer   hears each request and its attempts: metrics, the pick log, passive health, flow
 *                   control's capacity release and the latency predictor
 */
public record ProxyServices(FleetState fleet, Scheduler scheduler, ProxySettings settings, Ticker ticker,
                            RequestIds requestIds, Resilience resilience,
                            FlowGate flow, ModelCatalog models, AdmissionGuard guard, Drain drain,
                            ExchangeObserver observer) {

    public ProxyServices {
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(requestIds, "requestIds");
        Objects.requireNonNull(resilience, "resilience");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(observer, "observer");
    }
}
