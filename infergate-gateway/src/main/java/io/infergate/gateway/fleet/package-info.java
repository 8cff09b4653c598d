/**
 * The gateway's view of the fleet: {@link io.infergate.gateway.fleet.FleetState} holds the live
 * snapshot the scheduler reads; {@link io.infergate.gateway.fleet.MetricsScraper} fills it from every
 * endpoint's metrics page (and its GPU exporter's). Start with
 * {@link io.infergate.gateway.fleet.MetricMapping}, the table of server types and the metric names each
 * one exports, then {@link io.infergate.gateway.fleet.PrometheusText} (the page reader) and
 * {@link io.infergate.gateway.fleet.ScrapedFigures} (where the server's and the GPU exporter's figures
 * meet). {@code docs/server-types.md} documents the table.
 */
package io.infergate.gateway.fleet;
