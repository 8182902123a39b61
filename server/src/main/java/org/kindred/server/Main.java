package org.kindred.server;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.ConfigLoader;
import org.kindred.server.config.KindredConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts one Kindred node from the command line; stops it gracefully on SIGTERM or Ctrl-C. */
@Command(
        name = "kindred-server",
        mixinStandardHelpOptions = true,
        version = "Kindred 0.1.0",
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

    @Override
    public Integer call() throws Exception {
        KindredConfig config;
        KindredNode node;
        try {
            config = ConfigLoader.load(configFile, System.getenv());
            node = KindredNode.start(config);
        } catch (ConfigException e) {
            System.err.println("kindred: invalid configuration: " + e.getMessage());
            return 2;
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
                "Kindred is up: WebSocket {}  health {}/healthz  metrics {}/metrics",
                node.webSocketUri(),
                node.httpUri(),
                node.httpUri());
        if (config.devSignIn()) {
            LOG.warn(
                    "DEVELOPMENT SIGN-IN IS ON (no JWT key configured): anyone can get a token with "
                            + "curl -s -X POST {}/dev/token -d '{\"pseudonym\":\"Robin\",\"role\":\"member\"}'",
                    node.httpUri());
        }
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
