package io.infergate.emulator;

import io.infergate.core.engine.EngineProfile;
import io.infergate.core.engine.EngineProfiles;
import io.infergate.core.engine.SchedulingPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code infergate emulate}: runs one emulated inference server (vLLM unless another flavour is asked
 * for) until interrupted.
 *
 * <pre>{@code
 * new CommandLine(new EmulateCommand()).execute("--port", "8000", "--profile", "l4-llama3-8b", "--speed", "10",
 *         "--flavor", "sglang", "--dcgm");
 * }</pre>
 */
@Command(name = "emulate", mixinStandardHelpOptions = true,
        description = {"Runs an emulated inference server speaking the OpenAI API and the metrics of vLLM,",
                "SGLang, TGI or Triton, timed by the engine model of a GPU profile, with fault injection."})
public final class EmulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8000", description = "Port to listen on, 0 for a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--profile", defaultValue = "a100-llama3-8b",
            description = "Engine profile: a100-llama3-8b, h100-llama3-8b, l4-llama3-8b, a10g-mistral-7b, instant (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--speed", defaultValue = "1.0", description = "Time factor: 10 runs the engine ten times faster (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--model", defaultValue = "llama-3.1-8b-instruct",
            description = "Model name served; repeat for several (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated text and fault draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-num-seqs", description = "Overrides the profile's running-batch bound.")
    Integer maxNumSeqs;

    @Option(names = "--decode-step-ms", description = "Every engine step takes exactly this long (before the speed factor).")
    Long decodeStepMillis;

    @Option(names = "--default-max-tokens", description = "Reply length when a request sets no max_tokens.")
    Integer defaultMaxTokens;

    @Option(names = "--startup-delay-ms", defaultValue = "0", description = "Answer 503 for this long after start, like a model loading.")
    long startupDelayMillis;

    @Option(names = "--error-rate", defaultValue = "0", description = "Share of API requests failed with a 500, 0..1.")
    double errorRate;

    @Option(names = "--latency-spike-probability", defaultValue = "0", description = "Share of API requests held back, 0..1.")
    double latencySpikeProbability;

    @Option(names = "--latency-spike-ms", defaultValue = "0", description = "How long such a request is held back.")
    long latencySpikeMillis;

    @Option(names = "--die-after-tokens", defaultValue = "-1", description = "Cut every stream after this many tokens; -1 for never.")
    int dieAfterTokens;

    @Option(names = "--flavor", defaultValue = "vllm",
            description = "Metric names and health path of: vllm, sglang, tgi, triton (default: ${DEFAULT-VALUE}).")
    String flavor;

    @Option(names = "--dcgm", description = "Also export a DCGM exporter's GPU metrics on /metrics.")
    boolean dcgm;

    @Option(names = "--prefix-caching", description = "Skip the prefill of prompt prefixes seen recently, as vLLM's prefix cache does.")
    boolean prefixCaching;

    @Option(names = "--scheduling-policy", defaultValue = "fcfs",
            description = {"Order of waiting requests, as vLLM's --scheduling-policy: fcfs (by arrival), or priority",
                    "(by the request's priority field, lower first, then arrival) (default: ${DEFAULT-VALUE})."})
    String schedulingPolicy;

    @Option(names = "--tls-cert", description = "PEM certificate chain: serve HTTPS (with --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", description = "PEM authorities: require client certificates signed by them (mTLS).")
    Path tlsClientCa;

    @Option(names = "--list-profiles", description = "Print the built-in profiles and exit.")
    boolean listProfiles;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (listProfiles) {
            for (EngineProfile p : EngineProfiles.all()) {
                out.printf("%-16s %s%n", p.name(), p.description());
            }
            out.flush();
            return 0;
        }
        EmulatorServer server = EmulatorServer.start(options());
        Thread hook = new Thread(() -> {
            stop();
            awaitClosed();
        }, "emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        EngineProfile effective = server.options().profile();
        out.printf("emulator listening on %s (%s flavour, profile %s, speed %s, models %s, max-num-seqs %d, "
                        + "scheduling policy %s)%n",
                server.url(), server.options().flavor().configName(), effective.name(), speed,
                String.join(", ", models), effective.maxNumSeqs(),
                server.options().schedulingPolicy().configName());
        out.flush();
        try {
            stopped.await();
        } finally {
            server.close();
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what woke us up
            }
        }
        return 0;
    }

    /** The options as given; a value out of range is reported as a bad parameter, with the usage. */
    private EmulatorOptions options() {
        try {
            EmulatorOptions.Builder options = EmulatorOptions.builder()
                    .host(host).port(port).profile(profile).speed(speed).models(models).seed(seed)
                    .startupDelay(Duration.ofMillis(startupDelayMillis))
                    .flavor(Flavor.named(flavor)).dcgm(dcgm).prefixCaching(prefixCaching)
                    .schedulingPolicy(SchedulingPolicy.named(schedulingPolicy))
                    .faults(FaultSettings.NONE.withErrorRate(errorRate)
                            .withLatencySpikes(latencySpikeProbability, Duration.ofMillis(latencySpikeMillis))
                            .withDieAfterTokens(dieAfterTokens));
            if (maxNumSeqs != null) {
                options.maxNumSeqs(maxNumSeqs);
            }
            if (decodeStepMillis != null) {
                options.decodeStepMillis(decodeStepMillis);
            }
            if (defaultMaxTokens != null) {
                options.defaultMaxTokens(defaultMaxTokens);
            }
            if ((tlsCert == null) != (tlsKey == null) || tlsClientCa != null && tlsCert == null) {
                throw new IllegalArgumentException("--tls-cert, --tls-key, --tls-client-ca: "
                        + (tlsCert == null ? "no --tls-cert" : "no --tls-key")
                        + " (expected: --tls-cert and --tls-key together; --tls-client-ca only with them)");
            }
            if (tlsCert != null) {
                options.tls(new EmulatorTls(tlsCert, tlsKey, Optional.ofNullable(tlsClientCa)));
            }
            return options.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Makes {@link #call()} close the server and return; what Ctrl-C does. */
    void stop() {
        stopped.countDown();
    }

    private void awaitClosed() {
        try {
            closed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
