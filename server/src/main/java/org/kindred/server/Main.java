package org.kindred.server;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kindred.server.cli.CheckConfigCommand;
import org.kindred.server.cli.GenTokenCommand;
import org.kindred.server.cli.StartupFailure;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.ConfigLoader;
import org.kindred.server.config.KindredConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts one Kindred node from the command line and stops it gracefully on SIGTERM or Ctrl-C; {@code check-config} and
 * {@code gen-token} are sub-commands for operators. Exit codes: 0 stopped cleanly, 1 the node could not start (one
 * line on standard error says why), 2 the command line or the configuration was refused.
 */
@Command(
        name = "kindred-server",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Runs one Kindred node. With no configuration it runs the embedded default: "
                + "demo rooms and the development sign-in, no Redis.")
public final class Main implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "YAML configuration file (default: $KINDRED_CONFIG, else none). Environment variables "
                    + "KINDRED_* override it.")
    private Path configFile;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;

    private Main(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The command line with its sub-commands, reading settings from the given environment. */
    public static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new Main(environment))
                .addSubcommand(new CheckConfigCommand(environment))
                .addSubcommand(new GenTokenCommand(environment, Clock.systemUTC()));
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        KindredConfig config;
        try {
            config = ConfigLoader.load(configFile, environment);
        } catch (ConfigException e) {
            err.println("kindred: invalid configuration: " + e.getMessage());
            err.flush();
            return 2;
        }
        LogOutput.use(config.logFormat());
        LOG.info("{} starting", BuildInfo.current().describe());
        KindredNode node;
        try {
            node = KindredNode.start(config);
        } catch (InterruptedException e) {
            throw e;
        } catch (ConfigException e) { // found only once the node's parts meet, such as a room id of a session's kind
            err.println("kindred: invalid configuration: " + e.getMessage());
            err.flush();
            return 2;
        } catch (Exception e) { // Netty rethrows a failed bind's BindException unchecked, whatever its type
            // One line for the operator; the trace for whoever debugs it (-Dlogback.configurationFile at DEBUG).
            LOG.debug("start-up failed", e);
            err.println("kindred: " + StartupFailure.describe(e, config));
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("draining");
                            node.close();
                            stopped.countDown();
                        },
                        "kindred-shutdown"));
        LOG.info(
                "Kindred is up on {}: WebSocket {}  health {}/healthz  metrics {}/metrics",
                node.boundAddress(),
                node.webSocketUri(),
                node.httpUri(),
                node.managementUri());
        if (config.devSignIn()) {
            LOG.warn(
                    "DEVELOPMENT SIGN-IN IS ON (no JWT key configured): anyone who reaches {} can get a token with "
                            + "any role: curl -s -X POST {}/dev/token -d '{\"pseudonym\":\"Robin\",\"role\":\"member\"}'",
                    node.boundAddress(),
                    node.httpUri());
            if (!config.hostExplicit()) {
                LOG.warn(
                        "so the node listens on loopback only ({}); set host (KINDRED_HOST) to listen elsewhere",
                        node.boundAddress());
            } else if (!node.boundAddress().getAddress().isLoopbackAddress()) {
                LOG.warn("host is set to {}: other machines can reach the development sign-in", config.host());
            }
        }
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = commandLine(System.getenv()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** {@code --version}: from the build, never written in the code. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().describe()};
        }
    }
}
