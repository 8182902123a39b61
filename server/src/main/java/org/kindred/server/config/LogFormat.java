package org.kindred.server.config;

import java.util.Arrays;
import java.util.Locale;

/** How the node writes its log: timestamped lines for people, or one JSON object per line for a log pipeline. */
public enum LogFormat {
    /** {@code 2026-12-07T10:15:30.123Z INFO  [main] org.kindred.server.Main - Kindred is up ...} */
    TEXT,
    /** One JSON object per event and line: {@code @timestamp}, {@code level}, {@code logger_name}, {@code message}. */
    JSON;

    /** The value as written in the configuration: {@code text} or {@code json}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static LogFormat parse(String text) {
        return Arrays.stream(values())
                .filter(format -> format.wire().equals(text.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("'" + text + "' is not a log format (expected: text or json)"));
    }
}
