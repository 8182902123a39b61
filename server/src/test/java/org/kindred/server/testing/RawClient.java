package org.kindred.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;

/**
 * A bare WebSocket client for tests that need to send what the SDK never would: malformed JSON, binary frames,
 * oversized frames, or to stop reading altogether.
 */
public final class RawClient implements AutoCloseable {

    private static final WireCodec CODEC = new WireCodec();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<ServerMessage> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;
    private final boolean reading;

    private RawClient(URI uri, boolean reading) throws Exception {
        this.reading = reading;
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(uri, new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    /** Connects and reads everything the server sends. */
    public static RawClient connect(String uri) throws Exception {
        return new RawClient(URI.create(uri), true);
    }

    /** Connects and never reads: the server's frames pile up in the socket buffers. */
    public static RawClient connectWithoutReading(String uri) throws Exception {
        return new RawClient(URI.create(uri), false);
    }

    /** Connects and signs in with the token, waiting for the welcome. */
    public static RawClient signedIn(String uri, String token) throws Exception {
        return signedIn(uri, token, false);
    }

    /** Connects and signs in, invisible or not ({@code hello.invisible}), waiting for the welcome. */
    public static RawClient signedIn(String uri, String token, boolean invisible) throws Exception {
        RawClient client = connect(uri);
        client.send("{\"type\":\"hello\",\"ref\":\"hello\",\"token\":\"" + token + "\""
                + (invisible ? ",\"invisible\":true" : "") + "}");
        client.await(ServerMessage.Welcome.class, m -> true);
        return client;
    }

    /** Connects and signs in naming the language it reads ({@code hello.language}), waiting for the welcome. */
    public static RawClient signedInReading(String uri, String token, String language) throws Exception {
        RawClient client = connect(uri);
        client.send(
                "{\"type\":\"hello\",\"ref\":\"hello\",\"token\":\"" + token + "\",\"language\":\"" + language + "\"}");
        client.await(ServerMessage.Welcome.class, m -> true);
        return client;
    }

    /** Connects and signs in announcing a protocol version, waiting for the welcome. */
    public static RawClient signedIn(String uri, String token, int protocolVersion) throws Exception {
        RawClient client = connect(uri);
        client.send("{\"type\":\"hello\",\"ref\":\"hello\",\"token\":\"" + token + "\",\"protocolVersion\":"
                + protocolVersion + "}");
        client.await(ServerMessage.Welcome.class, m -> true);
        return client;
    }

    /** The id others see for the user this client signed in as (its opaque id), from its welcome. */
    public String userId() {
        return await(ServerMessage.Welcome.class, m -> true).user().id();
    }

    public RawClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** Sends a command as the wire codec writes it. */
    public RawClient send(org.kindred.protocol.ClientMessage command) {
        return send(CODEC.encode(command));
    }

    /** Waits for the reply (or error) to the command with this ref. */
    public ServerMessage awaitReply(String ref) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> received.stream()
                                .filter(m -> ref.equals(refOf(m)))
                                .findFirst()
                                .orElse(null),
                        m -> m != null);
    }

    private static String refOf(ServerMessage message) {
        try {
            return (String) message.getClass().getMethod("ref").invoke(message);
        } catch (ReflectiveOperationException e) {
            return null; // an event: no ref
        }
    }

    public RawClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    public List<ServerMessage> received() {
        return received;
    }

    public <T extends ServerMessage> List<T> received(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits for a message of this type that matches, and returns it. */
    public <T extends ServerMessage> T await(Class<T> type, Predicate<T> matching) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> received(type).stream()
                                .filter(matching)
                                .findFirst()
                                .orElse(null),
                        m -> m != null);
    }

    /** Waits for the error answering the command with this ref. */
    public ServerMessage.Error awaitError(String ref) {
        return await(ServerMessage.Error.class, e -> ref.equals(e.ref()));
    }

    /** Waits for the server to close the connection, and returns the close code it sent. */
    public int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(CODEC.decodeServer(partial.toString()));
                } catch (DecodeException e) {
                    throw new AssertionError("server sent an undecodable frame: " + e.getMessage());
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(1006);
        }
    }
}
