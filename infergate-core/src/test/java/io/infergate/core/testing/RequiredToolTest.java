package io.infergate.core.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequiredToolTest {

    @Test
    void aPresentToolIsHandedBack() {
        assertThat(RequiredTool.present(Optional.of("/usr/sbin/nginx"), "nginx", "a test")).isEqualTo("/usr/sbin/nginx");
    }

    @Test
    void aMissingToolSkipsOnADeveloperMachineAndFailsUnderCi() {
        Class<? extends Throwable> expected = RequiredTool.underCi() ? AssertionFailedError.class : TestAbortedException.class;

        assertThatThrownBy(() -> RequiredTool.present(Optional.empty(), "haproxy", "the bench smoke test"))
                .isInstanceOf(expected)
                .hasMessageContaining("haproxy is not available (.ci/run installs it with apt-get): the bench smoke test cannot run");
    }
}
