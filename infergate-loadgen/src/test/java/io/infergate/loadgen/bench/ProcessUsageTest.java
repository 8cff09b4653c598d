package io.infergate.loadgen.bench;

import io.infergate.core.testing.RequiredTool;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessUsageTest {

    @Test
    void readsCpuTicksAfterANameHoldingSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (nginx: worker (1)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0";

        assertThat(ProcessUsage.cpuNanos(stat)).isEqualTo(300 * 1_000_000_000L / 100);
    }

    @Test
    void readsResidentMemoryFromStatus() {
        assertThat(ProcessUsage.rssBytes(List.of("Name:\tnginx", "VmRSS:\t   20480 kB", "Threads:\t1")))
                .isEqualTo(20480L * 1024);
    }

    @Test
    void measuresThisJvm() {
        RequiredTool.require(ProcessUsage.available(), "/proc", "measuring this JVM's CPU and memory");

        ProcessUsage usage = ProcessUsage.of(ProcessHandle.current());

        assertThat(usage.cpuNanos()).isPositive();
        assertThat(usage.rssMegabytes()).isGreaterThan(10);
    }

    @Test
    void readsTheHardOpenFileLimit() {
        List<String> limits = List.of("Limit                     Soft Limit           Hard Limit           Units",
                "Max open files            1024                 20000                files");

        assertThat(OpenFileLimit.parseHard(limits)).isEqualTo(20000);
    }
}
