package org.kindred.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.InvalidMessageException;
import org.kindred.protocol.ManagedRoom;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.config.ConfigException;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;
import org.kindred.server.members.MemberData;
import org.kindred.server.room.Room;
import org.kindred.server.room.RoomAdmin;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.safety.SafetyService;
import org.kindred.server.safety.SafetyStore;
import org.kindred.server.webhook.Webhooks;

/**
 * The server API, {@code /api/v1/...} on the management listener, for a community's backend: rooms and their presence
 * and history, system messages, disconnecting a user, sanctions, the audit log, and a member's export and erasure. Every call needs
 * {@code Authorization: Bearer KEY} with a key of {@code management.apiKeys} (compared by SHA-256 in constant time),
 * and every authenticated call is written to the audit log as {@code api:METHOD /path} by {@code api:NAME}. The
 * routes are {@link #ROUTES}; docs/api.md holds their OpenAPI 3 document, kept in step by a test.
 *
 * <p>Transport-free: the management handler passes method, path, query, authorization and body, and writes the
 * answer.
 */
public final class ServerApi {

    /** An answer: the HTTP status and a JSON body. */
    public record Response(int status, String json) {}

    /** One route: method and path template ({@code {room}} is one path segment). */
    public record Route(String method, String template) {
        Pattern pattern() {
            return Pattern.compile("^" + template.replaceAll("\\{[a-zA-Z]+\\}", "([^/]+)") + "$");
        }
    }

    public static final String PREFIX = "/api/v1";

    /** Every route, in the order of docs/api.md. */
    public static final List<Route> ROUTES = List.of(
            new Route("GET", "/rooms"),
            new Route("POST", "/rooms"),
            new Route("GET", "/rooms/archived"),
            new Route("PATCH", "/rooms/{room}"),
            new Route("POST", "/rooms/{room}/archive"),
            new Route("POST", "/rooms/{room}/restore"),
            new Route("GET", "/rooms/{room}/presence"),
            new Route("GET", "/rooms/{room}/history"),
            new Route("POST", "/rooms/{room}/messages"),
            new Route("POST", "/users/{user}/disconnect"),
            new Route("POST", "/sanctions"),
            new Route("DELETE", "/sanctions/{sanction}"),
            new Route("GET", "/audit"),
            new Route("GET", "/queues/held"),
            new Route("GET", "/queues/notes"),
            new Route("GET", "/queues/ratings"),
            new Route("GET", "/queues/sanctions"),
            new Route("GET", "/queues/appeals"),
            new Route("GET", "/users/{user}/history"),
            new Route("GET", "/webhooks/dead-letters"),
            new Route("GET", "/members/{user}/export"),
            new Route("POST", "/members/{user}/erasure"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WireCodec WIRE = new WireCodec();

    private final ManagementConfig config;
    private final RoomRegistry rooms;
    private final ConnectedUsers users;
    private final SafetyService safety;
    private final SafetyStore audit;
    private final Webhooks webhooks;
    private final MemberData members;
    private final RoomAdmin admin;
    private final Clock clock;

    public ServerApi(
            ManagementConfig config,
            RoomRegistry rooms,
            ConnectedUsers users,
            SafetyService safety,
            SafetyStore audit,
            Webhooks webhooks,
            MemberData members,
            RoomAdmin admin,
            Clock clock) {
        this.webhooks = webhooks;
        this.members = members;
        this.admin = admin;
        this.config = config;
        this.rooms = rooms;
        this.users = users;
        this.safety = safety;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Answers one call.
     *
     * @param path          the path below the listener's root, starting with {@link #PREFIX}
     * @param authorization the {@code Authorization} header, or null
     */
    public CompletableFuture<Response> handle(
            String method, String path, Map<String, List<String>> query, String authorization, String body) {
        String key = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        Optional<String> caller = config.caller(key);
        if (caller.isEmpty()) {
            return CompletableFuture.completedFuture(
                    error(401, "unauthorized", "Authorization: Bearer KEY with a key of management.apiKeys"));
        }
        String local = path.substring(PREFIX.length());
        for (Route route : ROUTES) {
            Matcher match = route.pattern().matcher(local);
            if (match.matches()) {
                if (!route.method().equals(method)) {
                    continue;
                }
                UserInfo actor = new UserInfo("api:" + caller.get(), "api:" + caller.get(), "moderator");
                String target = match.groupCount() > 0 ? match.group(1) : null;
                CompletableFuture<Response> answer;
                try {
                    answer = call(route, target, query, body, actor);
                } catch (IllegalArgumentException | InvalidMessageException | ConfigException e) {
                    answer = CompletableFuture.completedFuture(error(400, "invalid", e.getMessage()));
                } catch (Refusal e) {
                    answer = CompletableFuture.completedFuture(refused(e));
                }
                return answer.exceptionally(ServerApi::failure)
                        .thenCompose(response -> audit.audit(new ServerMessage.AuditEntry(
                                        clock.millis(),
                                        actor,
                                        "api:" + method + " " + route.template(),
                                        null,
                                        route.template().startsWith("/rooms/") ? target : null,
                                        // a member's id would outlive its erasure here: its own entries name it
                                        route.template().startsWith("/members/") ? null : target,
                                        "status " + response.status()))
                                .thenApply(ignored -> response));
            }
        }
        boolean known = ROUTES.stream().anyMatch(r -> r.pattern().matcher(local).matches());
        return CompletableFuture.completedFuture(
                known
                        ? error(405, "method_not_allowed", method + " is not allowed here")
                        : error(404, "not_found", "no such endpoint"));
    }

    private CompletableFuture<Response> call(
            Route route, String target, Map<String, List<String>> query, String body, UserInfo actor) {
        Identity operator = new Identity(actor.id(), actor.pseudonym(), Set.of(Role.MODERATOR));
        return switch (route.method() + " " + route.template()) {
            case "GET /rooms" -> rooms.list(operator).thenApply(list -> ok(Map.of("rooms", list)));
            // Rooms made at run time: the body is read as the moderators' command, so both go through one set of rules.
            case "POST /rooms" ->
                admin.create(actor, roomCommand(body, null, ClientMessage.CreateRoom.class))
                        .thenApply(ServerApi::ok);
            case "GET /rooms/archived" ->
                admin.all()
                        .thenApply(all -> ok(Map.of(
                                "rooms",
                                all.stream().filter(ManagedRoom::archived).toList())));
            case "PATCH /rooms/{room}" ->
                admin.edit(actor, roomCommand(body, target, ClientMessage.EditRoom.class))
                        .thenApply(ServerApi::ok);
            case "POST /rooms/{room}/archive" -> admin.archive(actor, target).thenApply(ServerApi::ok);
            case "POST /rooms/{room}/restore" -> admin.restore(actor, target).thenApply(ServerApi::ok);
            case "GET /rooms/{room}/presence" ->
                CompletableFuture.completedFuture(
                        ok(Map.of("room", target, "present", room(target).present())));
            case "GET /rooms/{room}/history" ->
                room(target)
                        .history(actor.id(), number(query, "before"), intNumber(query, "limit"), null)
                        .thenApply(history -> ok(
                                Map.of("room", target, "messages", history.messages(), "hasMore", history.hasMore())));
            case "POST /rooms/{room}/messages" -> {
                JsonNode json = body(body);
                String text = json.path("text").asText("");
                if (text.isBlank()) {
                    throw new IllegalArgumentException("field 'text' is required");
                }
                String id = json.path("clientMsgId").asText(UUID.randomUUID().toString());
                String name = json.path("pseudonym").asText("Kindred");
                yield room(target)
                        .publish(new UserInfo("system", name, "moderator"), id, text)
                        .thenApply(appended -> ok(Map.of(
                                "room", target,
                                "seq", appended.message().seq(),
                                "duplicate", appended.duplicate())));
            }
            case "POST /users/{user}/disconnect" -> {
                boolean connected = users.isConnected(target);
                users.closeAll(target, CloseCode.AUTH_FAILED);
                yield CompletableFuture.completedFuture(ok(Map.of("user", target, "wasConnected", connected)));
            }
            case "POST /sanctions" -> {
                JsonNode json = body(body);
                ClientMessage.Sanction command = new ClientMessage.Sanction(
                        null,
                        json.path("userId").asText(null),
                        json.path("kind").asText(null),
                        json.hasNonNull("room") ? json.path("room").asText() : null,
                        json.path("reason").asText(null),
                        json.hasNonNull("durationSeconds")
                                ? json.path("durationSeconds").asLong()
                                : null);
                yield safety.sanction(actor, command).thenApply(done -> ok(Map.of("sanction", done.sanction())));
            }
            case "DELETE /sanctions/{sanction}" ->
                safety.lift(actor, target, text(query, "reason"), null)
                        .thenApply(lifted -> ok(Map.of("sanctionId", lifted.sanctionId(), "kind", lifted.kind())));
            case "GET /webhooks/dead-letters" ->
                CompletableFuture.completedFuture(ok(Map.of("endpoints", webhooks.deadLetters())));
            case "GET /members/{user}/export" -> members.export(target, actor).thenApply(ServerApi::ok);
            case "POST /members/{user}/erasure" -> members.erase(target, actor).thenApply(ServerApi::ok);
            case "GET /audit" ->
                safety.auditLog(intNumber(query, "limit"), null)
                        .thenApply(entries -> ok(Map.of("entries", entries.entries())));
            // The queues, as moderators read them (validated by the same commands; reading is audited the same way).
            case "GET /queues/held" -> {
                var c = new ClientMessage.ListHeld(null, text(query, "cursor"), number32(query, "limit"));
                yield safety.queues().held(actor, c.cursor(), c.limit(), null).thenApply(ServerApi::ok);
            }
            case "GET /queues/notes" -> {
                var c = new ClientMessage.ListNotes(null, text(query, "cursor"), number32(query, "limit"));
                yield safety.queues().notes(actor, c.cursor(), c.limit(), null).thenApply(ServerApi::ok);
            }
            case "GET /queues/ratings" -> {
                var c = new ClientMessage.ListRatings(
                        null, number32(query, "maxRating"), text(query, "cursor"), number32(query, "limit"));
                yield safety.queues()
                        .ratings(actor, c.maxRating(), c.cursor(), c.limit(), null)
                        .thenApply(ServerApi::ok);
            }
            case "GET /queues/sanctions" -> {
                var c = new ClientMessage.ListSanctions(
                        null, text(query, "userId"), text(query, "cursor"), number32(query, "limit"));
                yield safety.queues()
                        .sanctions(actor, c.userId(), c.cursor(), c.limit(), null)
                        .thenApply(ServerApi::ok);
            }
            case "GET /queues/appeals" -> {
                var c = new ClientMessage.ListAppeals(null, text(query, "cursor"), number32(query, "limit"));
                yield safety.queues()
                        .appeals(actor, c.cursor(), c.limit(), null)
                        .thenApply(ServerApi::ok);
            }
            case "GET /users/{user}/history" -> {
                List<String> actions = query.get("action");
                var c = new ClientMessage.MemberHistory(
                        null,
                        target,
                        actions == null || actions.isEmpty() ? null : actions,
                        number(query, "since"),
                        number(query, "until"),
                        text(query, "cursor"),
                        number32(query, "limit"));
                yield safety.queues().history(actor, c).thenApply(ServerApi::ok);
            }
            default -> throw new IllegalStateException("route without a handler: " + route);
        };
    }

    /**
     * A room body ({@code {"id": ..., "title": ...}}) read as {@code create_room}, or, with the room of the path, as
     * {@code edit_room}: the same decoding and checks as on the WebSocket, with the same error codes.
     */
    private static <T extends ClientMessage> T roomCommand(String body, String pathRoom, Class<T> type) {
        com.fasterxml.jackson.databind.node.ObjectNode json =
                (com.fasterxml.jackson.databind.node.ObjectNode) body(body);
        JsonNode id = json.remove("id");
        if (pathRoom == null && (id == null || !id.isTextual())) {
            throw new IllegalArgumentException("field 'id' is required");
        }
        if (pathRoom != null && id != null && !id.asText().equals(pathRoom)) {
            throw new IllegalArgumentException("field 'id' cannot change");
        }
        json.remove("ref");
        json.put("type", pathRoom == null ? "create_room" : "edit_room");
        json.put("room", pathRoom == null ? id.asText() : pathRoom);
        try {
            return type.cast(WIRE.decodeClient(json.toString()));
        } catch (DecodeException e) {
            throw new Refusal(e.code(), e.getMessage().replace("'room'", "'id'"));
        }
    }

    private Room room(String id) {
        return rooms.find(id).orElseThrow(() -> new Refusal(ErrorCode.ROOM_NOT_FOUND, "no room '" + id + "'"));
    }

    private static JsonNode body(String body) {
        try {
            JsonNode json = JSON.readTree(body == null ? "" : body);
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not valid JSON");
        }
    }

    private static String text(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static Long number(Map<String, List<String>> query, String name) {
        String text = text(query, name);
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query '" + name + "' is not a number");
        }
    }

    /** A whole number the command that reads it checks the range of. */
    private static Integer number32(Map<String, List<String>> query, String name) {
        Long value = number(query, name);
        if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("query '" + name + "' is out of range");
        }
        return value == null ? null : value.intValue();
    }

    private static Integer intNumber(Map<String, List<String>> query, String name) {
        Long value = number(query, name);
        if (value != null && (value < 1 || value > 1000)) {
            throw new IllegalArgumentException("query '" + name + "' must be 1-1000");
        }
        return value == null ? null : value.intValue();
    }

    private static Response ok(Object body) {
        return new Response(200, write(body));
    }

    /** A page of a queue: its frame without {@code type} and {@code ref}. */
    private static Response ok(ServerMessage page) {
        // Encoded as the WebSocket frame is (the wire codec leaves null fields out): this API's own mapper would
        // write "nextCursor": null on the last page, which a client reading nextCursor would send back as "null".
        com.fasterxml.jackson.databind.node.ObjectNode json;
        try {
            json = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(WIRE.encode(page));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        json.remove("type");
        json.remove("ref");
        return new Response(200, write(json));
    }

    private static Response failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof Refusal refusal) {
            return refused(refusal);
        }
        if (cause instanceof IllegalArgumentException
                || cause instanceof InvalidMessageException
                || cause instanceof ConfigException) {
            return error(400, "invalid", cause.getMessage());
        }
        return error(500, "internal", "the call failed; see the node's log");
    }

    private static Response refused(Refusal refusal) {
        int status = switch (refusal.code()) {
            case ROOM_NOT_FOUND, SANCTION_NOT_FOUND, APPEAL_NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case ROOM_EXISTS -> 409;
            default -> 400;
        };
        return error(status, refusal.code().wire(), refusal.getMessage());
    }

    private static Response error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return new Response(status, write(body));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
