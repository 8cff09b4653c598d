/**
 * The gateway's side of routing by predicted latency: {@link io.infergate.gateway.predict.PredictionFeed}
 * hears every attempt ({@link io.infergate.gateway.event}) and tells the core's
 * {@link io.infergate.core.predict.LatencyPredictor} what was sent where and what came back, and
 * measures how far the predictions were off.
 */
package io.infergate.gateway.predict;
