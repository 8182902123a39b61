package org.kindred.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Generates the AsyncAPI 3 document of Kindred's one WebSocket channel, {@code /ws}: what the server receives (every
 * client command) and sends (every frame), each message's payload a reference into the JSON Schema documents. Written
 * to {@code docs/asyncapi.yaml}; {@link ProtocolSchemaTest} and {@link AsyncApiDocumentTest} keep it in step.
 */
final class AsyncApiDocument {

    static final String VERSION = "3.0.0";
    static final String CHANNEL = "ws";
    static final String SCHEMA_FORMAT = "application/schema+json;version=draft-2020-12";

    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @param client the client schema, to find each command's description
     * @param server the server schema, likewise
     */
    ObjectNode generate(ObjectNode client, ObjectNode server) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("asyncapi", VERSION);
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kindred");
        info.put("version", String.valueOf(ProtocolVersion.CURRENT));
        info.put("description", """
                The live part of an online patient community: a real-time chat server for peer support. A client \
                opens one WebSocket, sends `hello` with a signed token first, then commands as JSON text frames; the \
                server answers each command that carries a `ref` with a frame echoing it, and sends events of its own. \
                Messages are generated from the records of the `protocol` module; docs/protocol.md is the \
                specification (ordering, resume with `since`/`epoch`, error and close codes).""");
        doc.put("defaultContentType", "application/json");
        ObjectNode embedded = doc.putObject("servers").putObject("embedded");
        embedded.put("host", "127.0.0.1:8080");
        embedded.put("protocol", "ws");
        embedded.put(
                "description",
                "The embedded default started by scripts/run.sh (development sign-in: POST /dev/token). Production "
                        + "nodes serve wss:// behind the same path.");

        ObjectNode channel = doc.putObject("channels").putObject(CHANNEL);
        channel.put("address", "/ws");
        channel.put("title", "Kindred WebSocket");
        channel.put(
                "description",
                "One connection per client. Close codes 4000–4099 ask the client to reconnect (with jittered "
                        + "backoff) and resume its rooms; 4100–4199 ask it not to reconnect as it is. See `CloseCode` "
                        + "in the server schema.");
        ObjectNode channelMessages = channel.putObject("messages");
        ObjectNode components = mapper.createObjectNode();
        ObjectNode messages = components.putObject("messages");

        ObjectNode operations = doc.putObject("operations");
        ObjectNode receive = operation(
                operations,
                "receiveCommand",
                "receive",
                "A client's command. `hello` must come first; every other command needs a welcomed connection.");
        ObjectNode send = operation(
                operations,
                "sendFrame",
                "send",
                "A reply to a command (with its `ref`) or an event: room messages, presence, typing, support, "
                        + "safety and group events.");
        addMessages(ClientMessage.class, client, ProtocolDocs.CLIENT_SCHEMA, channelMessages, messages, receive);
        addMessages(ServerMessage.class, server, ProtocolDocs.SERVER_SCHEMA, channelMessages, messages, send);
        doc.set("components", components);
        return doc;
    }

    private ObjectNode operation(ObjectNode operations, String name, String action, String summary) {
        ObjectNode operation = operations.putObject(name);
        operation.put("action", action);
        operation.putObject("channel").put("$ref", "#/channels/" + CHANNEL);
        operation.put("summary", summary);
        operation.putArray("messages");
        return operation;
    }

    private void addMessages(
            Class<?> sealed,
            ObjectNode schema,
            String schemaFile,
            ObjectNode channelMessages,
            ObjectNode messages,
            ObjectNode operation) {
        for (Map.Entry<Class<?>, String> entry :
                ProtocolSchemas.wireNames(sealed).entrySet()) {
            String name = entry.getKey().getSimpleName();
            JsonNode definition = schema.path("$defs").path(name);
            ObjectNode message = messages.putObject(name);
            message.put("name", entry.getValue());
            message.put("title", name);
            if (definition.has("description")) {
                message.put("summary", definition.get("description").asText());
            }
            message.put("contentType", "application/json");
            ObjectNode payload = message.putObject("payload");
            payload.put("schemaFormat", SCHEMA_FORMAT);
            payload.putObject("schema").put("$ref", "./" + schemaFile + "#/$defs/" + name);
            if (definition.path("properties").has("ref")) {
                message.putObject("correlationId")
                        .put("description", "The client's `ref`, echoed by the reply.")
                        .put("location", "$message.payload#/ref");
            }
            channelMessages.putObject(name).put("$ref", "#/components/messages/" + name);
            ((ArrayNode) operation.get("messages"))
                    .addObject()
                    .put("$ref", "#/channels/" + CHANNEL + "/messages/" + name);
        }
    }
}
