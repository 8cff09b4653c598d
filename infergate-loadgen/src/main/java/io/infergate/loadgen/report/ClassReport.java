package io.infergate.loadgen.report;

import java.util.Map;

/**
 * The results of one request class (or of all classes together, named {@code all}).
 *
 * @param name                    class name
 * @param requests                requests sent
 * @param ok                      requests answered in full
 * @param good                    answered requests that met the class's SLO
 * @param errors                  requests that failed, of every kind
 * @param droppedByClient         requests not sent because the in-flight cap was reached
 * @param errorsByKind            failures by {@link io.infergate.loadgen.client.ErrorKind#label()}
 * @param statusCodes             responses by HTTP status
 * @param throughputRps           {@code ok} per second of the run (sending plus the wait for the last answers)
 * @param goodputRps              {@code good} per second of the run
 * @param outputTokens            tokens received
 * @param outputTokensPerSecond   {@code outputTokens} per second of the run
 * @param ttft                    time to first token, from the intended send time
 * @param latency                 end-to-end latency of answered requests, from the intended send time
 * @param itl                     gaps between consecutive tokens of streams
 */
public record ClassReport(
        String name,
        long requests,
        long ok,
        long good,
        long errors,
        long droppedByClient,
        Map<String, Long> errorsByKind,
        Map<String, Long> statusCodes,
        double throughputRps,
        double goodputRps,
        long outputTokens,
        double outputTokensPerSecond,
        Percentiles ttft,
        Percentiles latency,
        Percentiles itl) {

    public ClassReport {
        errorsByKind = Map.copyOf(errorsByKind);
        statusCodes = Map.copyOf(statusCodes);
    }
}
