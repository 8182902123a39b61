package org.kindred.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import net.logstash.logback.encoder.LogstashEncoder;
import org.kindred.server.config.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * Puts the configured log format in place once the configuration is read: {@code logback.xml} starts with timestamped
 * text; {@link LogFormat#JSON} replaces it with one JSON object per line (logstash-logback-encoder: {@code @timestamp},
 * {@code level}, {@code logger_name}, {@code thread_name}, {@code message}, {@code stack_trace}).
 */
final class LogOutput {

    private LogOutput() {}

    static void use(LogFormat format) {
        if (format == LogFormat.TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // text is logback.xml's own; another SLF4J backend (an embedding application) keeps its format
        }
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
        json.setName("JSON");
        json.setContext(context);
        json.setEncoder(encoder);
        json.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(json);
    }
}
