package io.infergate.kubernetes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodePodTemplateTest {

    @Test
    void aNodeIdThatIsADnsLabelIsThePodName() {
        assertThat(NodePodTemplate.podName("chat-auto-3")).isEqualTo("chat-auto-3");
    }

    @Test
    void otherNodeIdsBecomeDistinctDnsLabels() {
        String upper = NodePodTemplate.podName("Chat_EU-auto-3");
        String lower = NodePodTemplate.podName("chat-eu-auto-3");
        String longId = NodePodTemplate.podName("x".repeat(100) + "-auto-1");

        assertThat(upper).matches("chat-eu-auto-3-[0-9a-f]{8}").isNotEqualTo(lower);
        assertThat(longId).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(NodePodTemplate.podName("___")).matches("node-[0-9a-f]{8}");
        assertThat(NodePodTemplate.podName("Chat_EU-auto-3")).isEqualTo(upper);
    }
}
