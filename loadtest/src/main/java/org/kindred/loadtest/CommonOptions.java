package org.kindred.loadtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** Options every scenario takes. */
public final class CommonOptions {

    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final List<String> DEFAULT_ROOMS =
            List.of("diabetes", "long-covid", "depression", "anxiety", "chronic-pain", "caregivers");

    @Option(
            names = "--url",
            paramLabel = "WS_URL",
            defaultValue = "ws://127.0.0.1:8080/ws",
            description = "WebSocket URL of a node; repeat for several nodes (members are spread round-robin). "
                    + "Loopback only (127.0.0.0/8, ::1, localhost). Default: ${DEFAULT-VALUE}")
    List<String> urls = new ArrayList<>();

    @Option(
            names = "--duration",
            paramLabel = "TIME",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long the scenario generates load, warmup included (connecting before and draining "
                    + "after are extra); at most 1h. Default: ${DEFAULT-VALUE}")
    Duration duration;

    @Option(
            names = "--warmup",
            paramLabel = "TIME",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Start of the run left out of latency and rates. Default: ${DEFAULT-VALUE}")
    Duration warmup;

    @Option(
            names = "--drain",
            paramLabel = "TIME",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "After publishing stops, how long to wait at most for acks and deliveries before counting "
                    + "what is missing as lost (at most 60s). Default: ${DEFAULT-VALUE}")
    Duration drain;

    @Option(
            names = "--connect-rate",
            paramLabel = "N/s",
            defaultValue = "500",
            converter = RateConverter.class,
            description = "New connections per second while connecting. Default: ${DEFAULT-VALUE}/s")
    double connectRate;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Refuse scenarios needing more connections than this (also capped by the open files "
                    + "limit). Default: ${DEFAULT-VALUE}")
    int maxConnections;

    @Option(
            names = "--source-addresses",
            paramLabel = "IP,...",
            split = ",",
            description = "Bind client sockets to these loopback source addresses, round-robin (more connections "
                    + "than one address's ephemeral ports)")
    List<String> sourceAddresses = new ArrayList<>();

    @Option(
            names = "--source-ips",
            paramLabel = "N",
            description = "Shorthand for --source-addresses 127.0.0.1,...,127.0.0.N")
    Integer sourceIps;

    @Option(
            names = "--pid",
            paramLabel = "PID",
            description = "A server process id to sample (CPU from /proc/PID/stat, RSS from /proc/PID/status); "
                    + "repeatable, the figures are summed")
    List<Long> pids = new ArrayList<>();

    @Option(
            names = "--server-gc",
            description =
                    "Before each RSS sample of a --pid server, run a full GC in it "
                            + "(jcmd PID GC.run), so that RSS per connection counts live memory rather than uncollected garbage")
    boolean serverGc;

    @Option(names = "--json", description = "Also print the result as one line of JSON (last line of stdout)")
    boolean json;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description = "Write an HTML report with the latency distribution plotted (self-contained, inline SVG)")
    Path html;

    @Option(
            names = "--jwt-secret",
            paramLabel = "SECRET",
            description = "Mint HS256 tokens (sub, pseudonym, roles [member], exp) with the nodes' shared secret "
                    + "instead of asking each node's development sign-in (POST /dev/token)")
    String jwtSecret;

    @Option(
            names = "--jwt-issuer",
            paramLabel = "ISS",
            description = "The iss claim of minted tokens, if the nodes " + "require one")
    String jwtIssuer;

    @Option(
            names = "--room",
            paramLabel = "ID",
            split = ",",
            description = "Rooms to use, in order (default: the embedded default's writable rooms "
                    + "diabetes,long-covid,depression,anxiety,chronic-pain,caregivers)")
    List<String> roomList = new ArrayList<>();

    @Option(
            names = "--room-prefix",
            paramLabel = "PREFIX",
            description = "Use generated rooms PREFIX0000, PREFIX0001, ... instead of --room (for example lt- with "
                    + "a server started with loadtest/rooms-1000.yaml)")
    String roomPrefix;

    @Option(
            names = "--clock",
            paramLabel = "nano|epoch",
            defaultValue = "nano",
            description = "Send time written into each message: nano = System.nanoTime of this process (one "
                    + "process publishes and receives); epoch = microseconds since the epoch (processes on one host "
                    + "compare). Default: ${DEFAULT-VALUE}")
    String clock;

    @Option(names = "--threads", paramLabel = "N", description = "Event loop threads (default: the number of cores)")
    Integer threads;

    @Option(names = "--no-progress", description = "No live progress line on stderr")
    boolean noProgress;

    /** The {@code count} rooms of this run. */
    List<String> rooms(int count) {
        List<String> out = new ArrayList<>();
        if (roomPrefix != null) {
            for (int i = 0; i < count; i++) {
                out.add(roomPrefix + String.format(Locale.ROOT, "%04d", i));
            }
            return out;
        }
        List<String> named = roomList.isEmpty() ? DEFAULT_ROOMS : roomList;
        if (count > named.size()) {
            throw new UsageException(count + " rooms asked for but only " + named.size() + " named (" + named
                    + "): name more with --room, or use --room-prefix lt- with a server started with "
                    + "--config loadtest/rooms-1000.yaml");
        }
        return new ArrayList<>(named.subList(0, count));
    }

    /** A problem with the command line or the environment: exit code 2, no run. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Durations as 30s, 500ms, 2m, 1h or plain seconds. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    public static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("us") || v.endsWith("µs")) {
                return Duration.ofNanos(
                        Long.parseLong(v.substring(0, v.length() - 2).trim()) * 1000);
            }
            char unit = v.charAt(v.length() - 1);
            String number =
                    Character.isDigit(unit) ? v : v.substring(0, v.length() - 1).trim();
            double amount = Double.parseDouble(number);
            double seconds = switch (unit) {
                case 'h' -> amount * 3600;
                case 'm' -> amount * 60;
                case 's' -> amount;
                default -> {
                    if (Character.isDigit(unit)) {
                        yield amount;
                    }
                    throw new NumberFormatException();
                }
            };
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (seconds * 1e9));
        } catch (RuntimeException e) {
            throw new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration (expected for example 30s, 500ms, 2m, 1h)");
        }
    }

    /** Rates as 100, 100/s or 6000/m. */
    public static final class RateConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            double per = 1;
            if (v.endsWith("/s")) {
                v = v.substring(0, v.length() - 2);
            } else if (v.endsWith("/m")) {
                v = v.substring(0, v.length() - 2);
                per = 60;
            }
            try {
                double rate = Double.parseDouble(v.trim()) / per;
                if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
                    throw new NumberFormatException();
                }
                return rate;
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a rate (expected for example 100 or 100/s)");
            }
        }
    }
}
