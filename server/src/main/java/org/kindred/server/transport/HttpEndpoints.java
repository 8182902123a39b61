package org.kindred.server.transport;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.kindred.server.auth.DevTokenIssuer;

/**
 * What the plain HTTP endpoints serve.
 *
 * @param ready          whether the node's parts are ready to take work ({@code /readyz}); a draining node is
 *                       never ready
 * @param metrics        the Prometheus text exposition ({@code /metrics})
 * @param devTokens      the development sign-in ({@code POST /dev/token}); empty whenever a real key is configured
 * @param allowedOrigins origins allowed to open a WebSocket; empty allows any
 * @param webApp         the web app served at {@code /}; empty when the operator turned it off
 */
public record HttpEndpoints(
        BooleanSupplier ready,
        Supplier<String> metrics,
        Optional<DevTokenIssuer> devTokens,
        List<String> allowedOrigins,
        Optional<WebApp> webApp) {

    /** The endpoints without the web app (tests of the other endpoints). */
    HttpEndpoints(
            BooleanSupplier ready,
            Supplier<String> metrics,
            Optional<DevTokenIssuer> devTokens,
            List<String> allowedOrigins) {
        this(ready, metrics, devTokens, allowedOrigins, Optional.empty());
    }
}
