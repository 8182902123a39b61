package org.kindred.server.transport;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.auth.DevTokenIssuer;
import org.kindred.server.connection.Refusal;

/**
 * What the plain HTTP endpoints of the chat port serve: {@code /healthz}, {@code /readyz}, the development sign-in and
 * the web app. Metrics and the server API are on the management listener ({@link ManagementEndpoints}).
 *
 * @param ready          whether the node's parts are ready to take work ({@code /readyz}); a draining node is
 *                       never ready
 * @param devTokens      the development sign-in ({@code POST /dev/token}); empty whenever a real key is configured
 * @param allowedOrigins origins allowed to open a WebSocket; empty allows any
 * @param webApp         the web app served at {@code /}; empty when the operator turned it off
 * @param figures        the moderators' live figures ({@code GET /moderator/figures}), for a moderator's token only
 */
public record HttpEndpoints(
        BooleanSupplier ready,
        Optional<DevTokenIssuer> devTokens,
        List<String> allowedOrigins,
        Optional<WebApp> webApp,
        ModeratorFigures figures) {

    /**
     * A few of the node's metrics for the moderators' console, as Prometheus text; the full {@code /metrics} is on the
     * management listener only.
     */
    @FunctionalInterface
    public interface ModeratorFigures {
        /**
         * @param bearerToken the token from the request's {@code Authorization: Bearer} header, or {@code null}
         * @throws Refusal if the token is missing or invalid, or is not a moderator's ({@code forbidden})
         */
        String figuresFor(String bearerToken);
    }

    /** The endpoints without the web app and its figures (tests of the other endpoints). */
    HttpEndpoints(
            BooleanSupplier ready,
            Optional<DevTokenIssuer> devTokens,
            List<String> allowedOrigins,
            Optional<WebApp> webApp) {
        this(ready, devTokens, allowedOrigins, webApp, token -> {
            throw new Refusal(ErrorCode.FORBIDDEN, "no figures here");
        });
    }

    /** The endpoints without the web app (tests of the other endpoints). */
    HttpEndpoints(BooleanSupplier ready, Optional<DevTokenIssuer> devTokens, List<String> allowedOrigins) {
        this(ready, devTokens, allowedOrigins, Optional.empty());
    }
}
