/**
 * The {@code infergate} command line. Start with {@link io.infergate.cli.Main}, which gathers the
 * subcommands the modules contribute ({@code serve}, {@code emulate}, {@code load}, {@code bench},
 * {@code check-config}, {@code autoscale}) and its own: {@link io.infergate.cli.DemoCommand} (an emulated
 * fleet and the gateway in one process) and {@link io.infergate.cli.KeysCommand} (the stored form of an API
 * key for the config file, and runtime keys through a gateway's admin API).
 */
package io.infergate.cli;
