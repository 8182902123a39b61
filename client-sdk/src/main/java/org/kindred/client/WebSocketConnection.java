package org.kindred.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A thin adapter over the JDK's {@link WebSocket}: reassembles text messages delivered in parts, asks for the next
 * message after each one, and sends text frames one after another (the JDK allows one outstanding send at a time).
 * Knows nothing of Kindred's messages.
 */
final class WebSocketConnection {

    /** Largest text message accepted from the server, in characters. */
    static final int MAX_MESSAGE_CHARS = 16 * 1024 * 1024;

    /** Receives what happens on a connection; called from the JDK's threads, one call at a time. */
    interface Handler {
        /** A whole text message arrived. */
        void onText(String text);

        /** The server closed the connection with this code and reason. */
        void onClose(int code, String reason);

        /** The connection failed without a close frame (network error, failed send, oversized message). */
        void onFailure(Throwable error);
    }

    private final WebSocket webSocket;
    private final Handler handler;
    private final AtomicBoolean sendFailed = new AtomicBoolean();
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    private WebSocketConnection(WebSocket webSocket, Handler handler) {
        this.webSocket = webSocket;
        this.handler = handler;
    }

    /** Opens a connection; the future fails when the server cannot be reached or refuses the handshake. */
    static CompletableFuture<WebSocketConnection> open(HttpClient http, URI uri, Duration timeout, Handler handler) {
        return http.newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(uri, new Listener(handler))
                .thenApply(webSocket -> new WebSocketConnection(webSocket, handler));
    }

    /**
     * Queues a text frame behind the previous ones. A failed send aborts the connection and is reported to the
     * handler's {@link Handler#onFailure}; the frames queued after it are dropped.
     */
    synchronized void send(String text) {
        lastSend = lastSend.thenCompose(ignored -> webSocket.sendText(text, true))
                .whenComplete((ignored, error) -> {
                    if (error != null && sendFailed.compareAndSet(false, true)) {
                        webSocket.abort();
                        handler.onFailure(error);
                    }
                });
    }

    /** Sends a close frame after the queued frames; the future completes once it was sent (or could not be). */
    synchronized CompletableFuture<Void> close(int code, String reason) {
        CompletableFuture<Void> closed = lastSend.handle((ignored, error) -> null)
                .thenCompose(ignored -> webSocket.sendClose(code, reason))
                .handle((ignored, error) -> null);
        lastSend = closed;
        return closed;
    }

    /** Closes the connection at once, without a close frame. */
    void abort() {
        webSocket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        private final Handler handler;
        private final TextAssembler text = new TextAssembler(MAX_MESSAGE_CHARS);

        Listener(Handler handler) {
            this.handler = handler;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            // Unbounded demand: every text is copied out at once (the client queues it on its own thread), and the
            // socket keeps being read, so a connection that dies right after a frame is noticed at once rather than
            // at the next missed pong.
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String whole;
            try {
                whole = text.append(data, last);
            } catch (IllegalStateException tooLong) {
                webSocket.abort();
                handler.onFailure(tooLong);
                return null;
            }
            if (whole != null) {
                handler.onText(whole);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            handler.onClose(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            handler.onFailure(error);
        }
    }
}
