package io.infergate.cli;

import io.infergate.emulator.EmulateCommand;
import io.infergate.gateway.ServeCommand;
import io.infergate.gateway.config.CheckConfigCommand;
import io.infergate.gateway.scale.AutoscaleCommand;
import io.infergate.loadgen.LoadCommand;
import io.infergate.loadgen.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code infergate} command. Each module contributes its own subcommands. */
@Command(name = "infergate", mixinStandardHelpOptions = true, version = "infergate 0.1.0",
        description = "AI-inference gateway: load-, GPU-, latency- and cost-aware routing.",
        subcommands = {ServeCommand.class, DemoCommand.class, EmulateCommand.class, LoadCommand.class,
                BenchCommand.class, CheckConfigCommand.class, KeysCommand.class, AutoscaleCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
