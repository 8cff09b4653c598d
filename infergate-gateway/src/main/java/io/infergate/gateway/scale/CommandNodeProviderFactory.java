package io.infergate.gateway.scale;

import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeProviderFactory;
import io.infergate.core.scale.ProviderSettings;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Makes a {@link CommandNodeProvider} from the configuration's {@code provider:} settings:
 * {@code command} (required; the program and its arguments, split on spaces) and {@code timeout_ms}
 * (120000), the longest a run may take.
 *
 * <pre>{@code
 * autoscaler:
 *   provider: {type: command, command: ./deploy/scale.sh --cloud eu, timeout_ms: 300000}
 * }</pre>
 */
public final class CommandNodeProviderFactory implements NodeProviderFactory {

    @Override
    public String type() {
        return "command";
    }

    @Override
    public NodeProvider create(Map<String, String> settings) {
        ProviderSettings s = new ProviderSettings(type(), settings);
        String command = s.requiredText("command");
        Duration timeout = s.millis("timeout_ms", Duration.ofMinutes(2));
        s.finish();
        return new CommandNodeProvider(Arrays.asList(command.trim().split("\\s+")), timeout);
    }
}
