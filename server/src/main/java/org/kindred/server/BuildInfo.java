package org.kindred.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build of the server is: its version, from the POM, and the commit it was built from. The build writes both
 * into {@code build.properties}; nothing else in the code names a version.
 *
 * @param version the project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit  the abbreviated commit id, or {@code unknown} when built outside a git checkout
 */
public record BuildInfo(String version, String commit) {

    private static final String RESOURCE = "build.properties";
    private static final String UNKNOWN = "unknown";

    /** The build information of the running server. */
    public static BuildInfo current() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: the build writes it");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(value(properties, "version"), value(properties, "commit"));
    }

    /** {@code Kindred 0.1.0 (commit 1a2b3c4d5e6f)}, as {@code --version} and the start-up line say it. */
    public String describe() {
        return "Kindred " + version + (commit.equals(UNKNOWN) ? "" : " (commit " + commit + ")");
    }

    /** A value the build left unfilled (no git checkout) reads as {@code unknown}, not as {@code ${...}}. */
    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key, "").strip();
        return value.isEmpty() || value.startsWith("${") ? UNKNOWN : value;
    }
}
