package org.kindred.server.transport;

import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.kindred.server.api.ServerApi;

/**
 * What the management listener serves, away from the chat port: metrics, detailed readiness and the server API.
 *
 * @param ready   whether the node takes work, as the chat port's {@code /readyz} says it
 * @param details what readiness is made of ({@code broker}, {@code mode}, {@code connections}...), as JSON values;
 *                for operators, never for the public
 * @param metrics the Prometheus text exposition ({@code /metrics})
 * @param api     the server API ({@code /api/v1/...}); empty in tests of the other endpoints
 */
public record ManagementEndpoints(
        BooleanSupplier ready,
        Supplier<Map<String, Object>> details,
        Supplier<String> metrics,
        Optional<ServerApi> api) {}
