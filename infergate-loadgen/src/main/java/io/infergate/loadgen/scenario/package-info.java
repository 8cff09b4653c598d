/**
 * What a load run sends. Start with {@link io.infergate.loadgen.scenario.Scenario} and
 * {@link io.infergate.loadgen.scenario.RequestClass}; {@link io.infergate.loadgen.scenario.ScenarioFile}
 * reads them from YAML and {@link io.infergate.loadgen.scenario.BuiltInScenarios} names the shipped ones.
 */
package io.infergate.loadgen.scenario;
