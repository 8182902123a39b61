package org.kindred.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.ConfigLoader;
import org.kindred.server.config.KindredConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kindred-server check-config [FILE]}: loads the configuration exactly as a node would (file, then
 * {@code KINDRED_*} variables) and says whether it would start, without opening a port or reaching Redis.
 */
@Command(
        name = "check-config",
        mixinStandardHelpOptions = true,
        description = "Checks a configuration file (default: $KINDRED_CONFIG) together with the KINDRED_* environment "
                + "variables, as a node would read them. Exit code 0: it would start; 2: it would not, and why.")
public final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The YAML configuration file")
    private Path file;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;

    public CheckConfigCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KindredConfig config;
        try {
            config = ConfigLoader.load(file, environment);
        } catch (ConfigException e) {
            err.println("kindred: invalid configuration: " + e.getMessage());
            err.flush();
            return 2;
        }
        out.println("configuration OK" + (file == null ? "" : ": " + file));
        out.println("  listens on   " + config.host() + ":" + config.port()
                + (config.tls().isPresent() ? " (TLS)" : "")
                + (config.hostExplicit() ? "" : config.devSignIn() ? " (loopback: development sign-in)" : ""));
        out.println("  management   " + config.management().host() + ":"
                + config.management().port() + " (metrics, readiness, server API)");
        out.println("  sign-in      " + signIn(config));
        out.println("  Redis        "
                + config.redis()
                        .map(r -> r.displayUrl() + (r.cluster() ? " (Redis Cluster)" : ""))
                        .orElse("none: a single node, everything in memory"));
        out.println("  rooms        " + config.rooms().size());
        out.println("  origins      "
                + (config.allowedOrigins().isEmpty() ? "the node's own pages only" : config.allowedOrigins()));
        out.println("  log format   " + config.logFormat().wire());
        out.println("  all settings " + config);
        out.flush();
        return 0;
    }

    private static String signIn(KindredConfig config) {
        if (config.devSignIn()) {
            return "DEVELOPMENT SIGN-IN (no JWT key: anyone may take any role; never expose such a node)";
        }
        return (config.jwt().hs256Secret() != null ? "JWT HS256 (shared secret)" : "JWT RS256 (public key)")
                + (config.jwt().issuer() == null ? "" : ", iss " + config.jwt().issuer())
                + (config.jwt().audience() == null
                        ? ""
                        : ", aud " + config.jwt().audience());
    }
}
