package io.infergate.core.schedule;

import io.infergate.core.request.RoutingRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrefixIndexTest {

    private static final long SECOND = 1_000_000_000L;

    private final PrefixIndex index = PrefixIndex.builder().ttl(Duration.ofSeconds(60)).build();

    @Test
    void anEndpointMatchesTheRunOfLeadingBlocksItServed() {
        // given "a" served a three-block prompt and "b" its first two blocks
        index.record(prompt(1, 2, 3), "a", 0);
        index.record(prompt(1, 2), "b", 0);

        // when a longer prompt with the same start arrives
        RoutingRequest next = prompt(1, 2, 3, 4);

        // then
        assertThat(index.matchedBlocks(next, "a", SECOND)).isEqualTo(3);
        assertThat(index.matchedBlocks(next, "b", SECOND)).isEqualTo(2);
        assertThat(index.matchedBlocks(next, "c", SECOND)).isZero();
        assertThat(index.matchedBlocks(prompt(9, 2, 3), "a", SECOND)).as("different first block").isZero();
    }

    @Test
    void aServeOlderThanTheTtlNoLongerMatchesUntilServedAgain() {
        // given
        index.record(prompt(1, 2), "a", 0);

        // then
        assertThat(index.matchedBlocks(prompt(1, 2), "a", 60 * SECOND)).isEqualTo(2);
        assertThat(index.matchedBlocks(prompt(1, 2), "a", 60 * SECOND + 1)).isZero();
        assertThat(index.size(60 * SECOND + 1)).isZero();

        // when served again
        index.record(prompt(1, 2), "a", 61 * SECOND);

        // then
        assertThat(index.matchedBlocks(prompt(1, 2), "a", 100 * SECOND)).isEqualTo(2);
    }

    @Test
    void refreshesWithinASixteenthOfTheTtlAreSkippedSoAHotBlockCostsNoWrite() {
        // given a block served at 0 and again 3 s later (less than 60 s / 16)
        index.record(prompt(1), "a", 0);
        index.record(prompt(1), "a", 3 * SECOND);

        // then the serve at 0 still dates it: it expires 60 s after that
        assertThat(index.matchedBlocks(prompt(1), "a", 60 * SECOND + 1)).isZero();

        // when served again 4 s later (past 60 s / 16), it is refreshed
        index.record(prompt(1), "a", 4 * SECOND);
        assertThat(index.matchedBlocks(prompt(1), "a", 60 * SECOND + 1)).isEqualTo(1);
    }

    @Test
    void aFullIndexForgetsTheBlockServedLongestAgo() {
        // given an index of one set of eight blocks, filled one block every 101 s (refreshes every 100 s)
        PrefixIndex small = PrefixIndex.builder().capacity(8).ttl(Duration.ofSeconds(1600)).build();
        long step = 101 * SECOND;
        for (int block = 1; block <= 8; block++) {
            small.record(prompt(block), "a", block * step);
        }
        small.record(prompt(1), "a", 10 * step); // block 1 served again: now the most recent

        // when a ninth block arrives
        small.record(prompt(9), "a", 11 * step);

        // then block 2, served longest ago, made room; the rest stay
        assertThat(small.size(11 * step)).isEqualTo(8);
        assertThat(small.matchedBlocks(prompt(2), "a", 11 * step)).isZero();
        for (int block : new int[] {1, 3, 4, 5, 6, 7, 8, 9}) {
            assertThat(small.matchedBlocks(prompt(block), "a", 11 * step)).as("block %d", block).isEqualTo(1);
        }
    }

    @Test
    void eachBlockRemembersTheEndpointsThatServedItLast() {
        // given a block remembering two endpoints, served by a, b, then c
        PrefixIndex two = PrefixIndex.builder().endpointsPerBlock(2).build();
        two.record(prompt(1), "a", SECOND);
        two.record(prompt(1), "b", 2 * SECOND);
        two.record(prompt(1), "c", 3 * SECOND);

        // then a, served longest ago, was replaced
        assertThat(two.matchedBlocks(prompt(1), "a", 4 * SECOND)).isZero();
        assertThat(two.matchedBlocks(prompt(1), "b", 4 * SECOND)).isEqualTo(1);
        assertThat(two.matchedBlocks(prompt(1), "c", 4 * SECOND)).isEqualTo(1);
    }

    @Test
    void aRequestWithoutPrefixHashesRecordsAndMatchesNothing() {
        index.record(RoutingRequest.forModel("r", "m"), "a", 0);

        assertThat(index.size(0)).isZero();
        assertThat(index.matchedBlocks(RoutingRequest.forModel("r", "m"), "a", 0)).isZero();
    }

    @Test
    void concurrentRecordsKeepEveryEndpointsOwnPrefixes() throws InterruptedException {
        // given four threads, each recording 500 distinct three-block prefixes on its own endpoint
        PrefixIndex shared = PrefixIndex.builder().capacity(1 << 16).endpointsPerBlock(4).build();
        int threads = 4;
        int prefixes = 500;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String endpoint = "e" + t;
            Thread worker = new Thread(() -> {
                awaitQuietly(start);
                for (int p = 0; p < prefixes; p++) {
                    // every thread records the same shared first block, then blocks of its own
                    shared.record(prompt(7, 1000L * p + 1, 1000L * p + 2), endpoint, p);
                }
            });
            worker.start();
            workers.add(worker);
        }

        // when they all run at once
        start.countDown();
        for (Thread worker : workers) {
            worker.join(10_000);
        }

        // then each endpoint matches the prefixes it recorded and the shared block remembers all four
        for (int t = 0; t < threads; t++) {
            for (int p = 0; p < prefixes; p += 7) {
                assertThat(shared.matchedBlocks(prompt(7, 1000L * p + 1, 1000L * p + 2), "e" + t, prefixes))
                        .as("e%d prefix %d", t, p).isEqualTo(3);
            }
        }
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> PrefixIndex.builder().capacity(0))
                .hasMessage("capacity: 0 (expected: 1-16777216)");
        assertThatThrownBy(() -> PrefixIndex.builder().ttl(Duration.ZERO))
                .hasMessage("ttl: PT0S (expected: > 0)");
        assertThatThrownBy(() -> PrefixIndex.builder().endpointsPerBlock(0))
                .hasMessage("endpointsPerBlock: 0 (expected: 1-16)");
    }

    static RoutingRequest prompt(long... hashes) {
        return TestFleet.request("r").withPrefixHashes(hashes);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
