/**
 * Deterministic pseudo-random bits for policies that must replay exactly:
 * {@link io.infergate.core.random.SplitMix} is the only entry point.
 */
package io.infergate.core.random;
