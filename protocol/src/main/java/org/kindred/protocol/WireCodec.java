package org.kindred.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Turns messages into JSON frames and back. Thread-safe and meant to be shared: build one per process.
 *
 * <p>Decoding is strict about types (no string-to-number, number-to-string or float-to-integer coercion; the frame must
 * be exactly one JSON object, with no trailing data) and lenient about unknown fields, which are ignored so that newer
 * clients and servers can add fields.
 */
public final class WireCodec {

    private final ObjectMapper mapper;
    private final ObjectReader clientReader;
    private final ObjectReader serverReader;
    private final ObjectWriter clientWriter;
    private final ObjectWriter serverWriter;

    /** Creates a codec with Kindred's wire settings. */
    public WireCodec() {
        this.mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .withCoercionConfig(
                        LogicalType.Textual,
                        cfg -> cfg.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .build();
        this.clientReader = mapper.readerFor(ClientMessage.class);
        this.serverReader = mapper.readerFor(ServerMessage.class);
        this.clientWriter = mapper.writerFor(ClientMessage.class);
        this.serverWriter = mapper.writerFor(ServerMessage.class);
    }

    /** Encodes a server message as UTF-8 JSON. */
    public byte[] encode(ServerMessage message) {
        try {
            return serverWriter.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** Encodes a client command as JSON text. */
    public String encode(ClientMessage message) {
        try {
            return clientWriter.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** Decodes a client command from UTF-8 JSON. */
    public ClientMessage decodeClient(byte[] json) throws DecodeException {
        return read(clientReader, json);
    }

    /** Decodes a client command from JSON text. */
    public ClientMessage decodeClient(String json) throws DecodeException {
        return decodeClient(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a server frame from JSON text. */
    public ServerMessage decodeServer(String json) throws DecodeException {
        return read(serverReader, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads exactly one JSON object. The top-level check comes first because Jackson would otherwise accept the
     * {@code ["type", {...}]} wrapper-array form, read a bare {@code null} as null and report scalars as a missing
     * {@code type}.
     */
    private <T> T read(ObjectReader reader, byte[] json) throws DecodeException {
        try (JsonParser parser = mapper.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new DecodeException(ErrorCode.BAD_JSON, "expected a JSON object", null);
            }
            T value = reader.readValue(parser);
            if (parser.nextToken() != null) {
                throw new DecodeException(ErrorCode.BAD_JSON, "unexpected data after the JSON object", readRef(json));
            }
            if (value == null) {
                throw new DecodeException(ErrorCode.BAD_JSON, "expected a JSON object", readRef(json));
            }
            return value;
        } catch (IOException | InvalidMessageException e) {
            throw translate(e, json);
        }
    }

    private DecodeException translate(Exception e, byte[] json) {
        String ref = readRef(json);
        if (e instanceof InvalidMessageException invalid) {
            return new DecodeException(invalid.code(), invalid.getMessage(), ref);
        }
        if (e instanceof ValueInstantiationException vie && vie.getCause() instanceof InvalidMessageException invalid) {
            return new DecodeException(invalid.code(), invalid.getMessage(), ref);
        }
        if (e instanceof JsonMappingException && e.getCause() instanceof JsonParseException) {
            // a syntax or encoding error met while binding a field (for example malformed UTF-8 inside a string)
            return new DecodeException(ErrorCode.BAD_JSON, "frame is not valid JSON", ref);
        }
        if (e instanceof InvalidTypeIdException typeId) {
            if (typeId.getTypeId() != null && !typeIsString(json)) {
                // Jackson reads {"type":5} as the type id "5": the field is there, with the wrong type.
                return new DecodeException(ErrorCode.INVALID_FIELD, "field 'type' must be a string", ref);
            }
            return typeId.getTypeId() == null
                    ? new DecodeException(ErrorCode.MISSING_FIELD, "missing field 'type'", ref)
                    : new DecodeException(
                            ErrorCode.UNKNOWN_TYPE, "unknown type '" + clip(typeId.getTypeId()) + "'", ref);
        }
        if (e instanceof MismatchedInputException mismatch) {
            String path = path(mismatch);
            if (path.isEmpty()) {
                return new DecodeException(ErrorCode.BAD_JSON, "expected a JSON object", ref);
            }
            return new DecodeException(ErrorCode.INVALID_FIELD, "field '" + path + "' has the wrong type", ref);
        }
        if (e instanceof JsonMappingException mapping && !path(mapping).isEmpty()) {
            return new DecodeException(ErrorCode.INVALID_FIELD, "field '" + path(mapping) + "' is invalid", ref);
        }
        return new DecodeException(ErrorCode.BAD_JSON, "frame is not valid JSON", ref);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(p -> p.getFieldName() != null ? p.getFieldName() : "[" + p.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** Whether the top-level {@code type} of a frame that failed to decode is a JSON string. */
    private boolean typeIsString(byte[] json) {
        try (JsonParser parser = mapper.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(name)) {
                    return value == JsonToken.VALUE_STRING;
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads a top-level string {@code ref} from a frame that failed to decode, so the error can echo it. */
    private String readRef(byte[] json) {
        try (JsonParser parser = mapper.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("ref".equals(name) && value == JsonToken.VALUE_STRING) {
                    String ref = parser.getText();
                    return ref.length() <= ClientMessage.MAX_REF_LENGTH ? ref : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
