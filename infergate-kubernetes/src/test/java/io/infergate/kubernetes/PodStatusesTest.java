package io.infergate.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a pod's status reads in the provider's messages. */
class PodStatusesTest {

    @Test
    void describeNamesThePhaseTheConditionsNotMetAndTheWaitingContainers() {
        Pod pending = new PodBuilder().withNewMetadata().withName("chat-auto-1").endMetadata().withNewStatus()
                .withPhase("Pending")
                .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/3 nodes are available").endCondition()
                .addNewCondition().withType("Initialized").withStatus("True").endCondition()
                .addNewContainerStatus().withName("vllm").withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .endWaiting().endState().endContainerStatus()
                .endStatus().build();

        assertThat(PodStatuses.describe(pending)).isEqualTo("phase Pending, PodScheduled false (Unschedulable: "
                + "0/3 nodes are available), container vllm waiting (ImagePullBackOff)");
        assertThat(PodStatuses.describe(new PodBuilder().withNewMetadata().withName("x").endMetadata().build()))
                .isEqualTo("no status yet");
    }
}
