package org.kindred.loadtest;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The load generator talks to loopback only: a URL or source address outside 127.0.0.0/8, {@code ::1} and
 * {@code localhost} is refused. There is deliberately no switch to allow anything else. Host names other than
 * {@code localhost} are refused without resolving them.
 */
public final class LoopbackGuard {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private LoopbackGuard() {}

    /** Thrown when something points away from this machine's loopback interface. */
    public static final class NotLoopbackException extends IllegalArgumentException {
        NotLoopbackException(String message) {
            super(message);
        }
    }

    /**
     * Parses and checks a WebSocket URL.
     *
     * @return the URL, with the path defaulting to {@code /ws} and the port to 80
     * @throws NotLoopbackException      if its host is not a loopback address
     * @throws IllegalArgumentException if it is not a {@code ws://} URL
     */
    public static URI checkUrl(String text) {
        URI uri;
        try {
            uri = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url " + text + ": not a URL (expected ws://127.0.0.1:8080/ws)");
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("ws")) {
            throw new IllegalArgumentException("--url " + text + ": expected a ws:// URL (loopback, no TLS), "
                    + "for example ws://127.0.0.1:8080/ws");
        }
        String host = uri.getHost();
        if (host == null || !isLoopbackHost(host)) {
            throw new NotLoopbackException("--url " + text + ": refused, the load test only talks to this machine's "
                    + "loopback interface (127.0.0.0/8, ::1 or localhost); it never generates load against another "
                    + "host");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/ws" : uri.getRawPath();
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        return URI.create("ws://" + uri.getRawAuthority().replaceFirst(":\\d+$", "") + ":" + port + path);
    }

    /** Whether this host text names loopback: {@code localhost}, an IPv4 literal in 127.0.0.0/8, or {@code ::1}. */
    public static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        var m = IPV4.matcher(h);
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    return false;
                }
            }
            return m.group(1).equals("127") || Integer.parseInt(m.group(1)) == 127;
        }
        if (h.contains(":")) { // an IPv6 literal: parsing a literal never touches DNS
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** Parses a source address, which must be a loopback literal. */
    public static InetAddress checkSourceAddress(String text) {
        String t = text.trim();
        if (!isLoopbackHost(t) || t.equalsIgnoreCase("localhost")) {
            throw new NotLoopbackException("--source-addresses " + text + ": refused, source addresses must be "
                    + "loopback literals such as 127.0.0.2");
        }
        try {
            return InetAddress.getByName(t.startsWith("[") ? t.substring(1, t.length() - 1) : t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--source-addresses " + text + ": not an address");
        }
    }
}
