package org.kindred.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every {@link MayBeAbsent} mark tells the truth, since the JSON Schema's {@code required} lists come from it: for each
 * field of each golden example (nested objects included), the frame without that field must decode when the field is
 * marked, and must not when it is not. The few exceptions are listed with their reason.
 */
class MayBeAbsentTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Marked, but required together with another value: the example at hand may need them. */
    private static final Map<String, String> REQUIRED_SOMETIMES = Map.of(
            "Sanction.room", "required for a room_ban",
            "Sanction.durationSeconds", "required for a timeout",
            "SetAvailability.conditions", "required when available",
            "SetAvailability.languages", "required when available",
            "SetGroupChat.locked", "one of the three settings is required",
            "SetGroupChat.slowModeSeconds", "one of the three settings is required",
            "SetGroupChat.floorOnly", "one of the three settings is required");

    /**
     * Not marked, since the server always sends them, yet a frame without them may decode: the record fills in a
     * default, or the server refuses the command after decoding.
     */
    private static final Map<String, String> DEFAULTED = Map.of(
            "RoomInfo.description", "defaults to an empty description",
            "RoomInfo.tags", "defaults to no tags",
            "CrisisResource.description", "defaults to an empty description",
            "ReportInfo.reportedUserId", "defaults to the reported message's author, when there is a message",
            "Hello.token", "decodes, then the server answers token_missing and closes");

    private final WireCodec codec = new WireCodec();

    @Test
    void aFieldDecodesWhenLeftOutExactlyWhenItIsMarked() throws IOException {
        List<String> wrong = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        for (Golden.Example example : Golden.CLIENT) {
            check(example, true, wrong, checked);
        }
        for (Golden.Example example : Golden.SERVER) {
            check(example, false, wrong, checked);
        }
        assertThat(wrong)
                .as("fields whose @MayBeAbsent mark does not match what decodes")
                .isEmpty();
        assertThat(checked).as("fields checked").contains("Hello.ref", "ChatMessage.author", "GroupInfo.rules");
    }

    @Test
    void theExceptionsAreStillNeeded() {
        assertThat(REQUIRED_SOMETIMES.keySet())
                .allSatisfy(field -> assertThat(isMarked(field)).as(field).isTrue());
        assertThat(DEFAULTED.keySet())
                .allSatisfy(field -> assertThat(isMarked(field)).as(field).isFalse());
    }

    private void check(Golden.Example example, boolean client, List<String> wrong, Set<String> checked)
            throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(example.json());
        walk(root, root, example.message(), client, example.name(), wrong, checked);
    }

    /** Visits one JSON object and the record it stands for, then their nested objects. */
    private void walk(
            ObjectNode root,
            ObjectNode node,
            Object record,
            boolean client,
            String example,
            List<String> wrong,
            Set<String> checked) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            String name = component.getName();
            if (!node.has(name)) {
                continue;
            }
            String field = record.getClass().getSimpleName() + "." + name;
            checked.add(field);
            if (!component.getType().isPrimitive()) {
                JsonNode removed = node.remove(name);
                boolean decodes = decodes(root.toString(), client);
                node.set(name, removed);
                boolean marked = component.isAnnotationPresent(MayBeAbsent.class);
                boolean exception = REQUIRED_SOMETIMES.containsKey(field) || DEFAULTED.containsKey(field);
                if (decodes != marked && !exception) {
                    wrong.add(field + (marked ? " is marked but" : " is not marked but") + " without it \"" + example
                            + "\" " + (decodes ? "decodes" : "does not decode"));
                }
            }
            Object value = value(component, record);
            JsonNode child = node.get(name);
            if (value instanceof Record nested && child instanceof ObjectNode object) {
                walk(root, object, nested, client, example, wrong, checked);
            } else if (value instanceof List<?> list && child.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof Record nested && child.get(i) instanceof ObjectNode object) {
                        walk(root, object, nested, client, example, wrong, checked);
                    }
                }
            }
        }
    }

    private boolean decodes(String json, boolean client) {
        try {
            if (client) {
                codec.decodeClient(json);
            } else {
                codec.decodeServer(json);
            }
            return true;
        } catch (DecodeException e) {
            return false;
        }
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isMarked(String field) {
        String[] parts = field.split("\\.");
        for (Class<?> type : List.of(ClientMessage.class, ServerMessage.class)) {
            for (Class<?> nested : type.getDeclaredClasses()) {
                if (nested.getSimpleName().equals(parts[0])) {
                    return marked(nested, parts[1]);
                }
            }
        }
        for (Class<?> type : List.of(RoomInfo.class, CrisisResource.class, UserInfo.class)) {
            if (type.getSimpleName().equals(parts[0])) {
                return marked(type, parts[1]);
            }
        }
        throw new IllegalArgumentException("no record " + parts[0]);
    }

    private static boolean marked(Class<?> type, String component) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(component)) {
                return c.isAnnotationPresent(MayBeAbsent.class);
            }
        }
        throw new IllegalArgumentException("no component " + type.getSimpleName() + "." + component);
    }
}
