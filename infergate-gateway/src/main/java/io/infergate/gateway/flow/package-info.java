/**
 * Flow control in the data plane: priority classes, fair queues per tenant, deadlines and load
 * shedding, on top of the core's {@link io.infergate.core.flow.FlowController}. Start with
 * {@link io.infergate.gateway.flow.FlowGate}, which the proxy asks before scheduling each request and
 * which hands it a {@link io.infergate.gateway.flow.FlowLease} to hold until the request is over;
 * {@link io.infergate.gateway.flow.RequestClassifier} reads the class, tenant and deadline from the
 * headers. {@code docs/flow-control.md} describes the behaviour, {@code docs/metrics.md} the metrics.
 */
package io.infergate.gateway.flow;
