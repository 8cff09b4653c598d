package io.infergate.gateway.membership;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a configuration reload did: the endpoints that joined and those now leaving, and what changed
 * that only a restart applies; or, for a file that does not load, why, with nothing changed.
 *
 * @param applied         false when the new file was rejected and the running configuration kept
 * @param added           ids of endpoints that joined
 * @param removed         ids of endpoints now draining on their way out
 * @param restartRequired changes seen but not applied, e.g. {@code listen} or {@code endpoint 'eu-1' changed}
 * @param errors          why the file was rejected, one {@code FILE:LINE:COL: FIELD: MESSAGE} per error
 */
public record ReloadOutcome(boolean applied, List<String> added, List<String> removed, List<String> restartRequired,
                            List<String> errors) {

    public ReloadOutcome {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        restartRequired = List.copyOf(restartRequired);
        errors = List.copyOf(errors);
    }

    static ReloadOutcome rejected(List<String> errors) {
        return new ReloadOutcome(false, List.of(), List.of(), List.of(), errors);
    }

    /** True when the reload changed something or found something to report. */
    boolean eventful() {
        return !applied || !added.isEmpty() || !removed.isEmpty() || !restartRequired.isEmpty();
    }

    /** The outcome as the admin API answers it. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("applied", applied);
        if (applied) {
            json.put("added", added);
            json.put("removed", removed);
            json.put("restart_required", restartRequired);
        } else {
            json.put("errors", errors);
        }
        return json;
    }
}
