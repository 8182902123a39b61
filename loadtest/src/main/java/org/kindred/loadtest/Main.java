package org.kindred.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar kindred-loadtest.jar <scenario> [options]}: load for a Kindred node (or several) on this machine.
 * Exit codes: 0 the run was clean, 1 it found problems (lost, duplicated or out-of-order messages, failed
 * connections, ...), 2 the command line or the environment was refused (for example a non-loopback URL).
 */
@Command(
        name = "kindred-loadtest",
        mixinStandardHelpOptions = true,
        // From Build.properties, which the build fills in from the POM.
        resourceBundle = "org.kindred.loadtest.Build",
        version = "Kindred load test ${bundle:version}",
        description = "Generates load against Kindred nodes on this machine's loopback interface and measures "
                + "connect time, end-to-end latency, throughput, lost/duplicated/out-of-order messages and, with "
                + "--pid, the server's CPU and memory.",
        subcommands = {
            FanoutCommand.class,
            RoomsCommand.class,
            IdleCommand.class,
            ChurnCommand.class,
            RampCommand.class,
            SupportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a scenario: fanout, rooms, idle, churn " + "or ramp");
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
