package io.infergate.gateway.flow;

import io.infergate.gateway.api.ApiError;

import java.util.Objects;

/** What {@link RequestClassifier} made of a request's headers: its class, tenant and deadline, or a 400. */
public sealed interface Classification {

    /**
     * @param priorityClass the request's class, one of the policy's
     * @param tenant        its tenant, {@code ""} when none is named
     * @param deadlineNanos ticker time past which it may not wait, or
     *                      {@link io.infergate.core.flow.FlowRequest#NO_DEADLINE}
     */
    record Classified(String priorityClass, String tenant, long deadlineNanos) implements Classification {
        public Classified {
            Objects.requireNonNull(priorityClass, "priorityClass");
            Objects.requireNonNull(tenant, "tenant");
        }
    }

    /** The headers name an unknown class or a malformed deadline. */
    record Invalid(ApiError error) implements Classification {
        public Invalid {
            Objects.requireNonNull(error, "error");
        }
    }
}
