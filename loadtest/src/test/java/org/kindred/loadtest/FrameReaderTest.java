package org.kindred.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;

/**
 * The byte-level path for {@code message} frames against Jackson's {@link FrameScanner}: frames the server's codec
 * really writes, then hand-made and broken ones. Whatever path a frame takes, it must read the same.
 */
class FrameReaderTest {

    private static final WireCodec CODEC = new WireCodec();
    private static final UserInfo AUTHOR = new UserInfo("lt:0a1b2c:7", "lt0a1b2cm7", "member");

    private static ServerMessage.ChatMessage message(String room, long seq, String text) {
        return new ServerMessage.ChatMessage(room, seq, "m-" + seq, AUTHOR, text, 1767225600000L, "lt-0a1b2c-7-" + seq);
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Every field a frame can fill, in one string; the payload only when it holds one (it is undefined otherwise). */
    private static String describe(Frame f) {
        StringBuilder sb = new StringBuilder()
                .append(f.type)
                .append(" ref=")
                .append(f.ref)
                .append(" room=")
                .append(f.room)
                .append(" seq=")
                .append(f.seq)
                .append(" code=")
                .append(f.code)
                .append(" dup=")
                .append(f.duplicate)
                .append(" epoch=")
                .append(f.epoch)
                .append(" lastSeq=")
                .append(f.lastSeq)
                .append(" recovered=")
                .append(f.recovered)
                .append(" requestId=")
                .append(f.requestId)
                .append(" sessionId=")
                .append(f.sessionId)
                .append(" rooms=")
                .append(f.rooms)
                .append(" message=");
        describe(f.message, sb);
        for (int i = 0; i < f.messageCount; i++) {
            describe(f.joinedMessage(i), sb.append(" joined="));
        }
        return sb.toString();
    }

    private static void describe(Frame.Msg m, StringBuilder sb) {
        sb.append(m.room).append('/').append(m.seq).append('/').append(m.lt);
        if (m.lt) {
            Payload.Parsed p = m.payload;
            sb.append('/')
                    .append(p.run)
                    .append('/')
                    .append(p.publisher)
                    .append('/')
                    .append(p.publisherSeq)
                    .append('/')
                    .append(p.time);
        }
    }

    /** What Jackson reads, or the exception's class for a bad frame. */
    private static String jackson(byte[] b) {
        Frame f = new Frame();
        try {
            FrameScanner.scan(b, 0, b.length, f);
            return describe(f);
        } catch (IOException | RuntimeException e) {
            return "bad frame";
        }
    }

    private static String reader(byte[] b) {
        Frame f = new Frame();
        try {
            new FrameReader().read(b, 0, b.length, f);
            return describe(f);
        } catch (IOException | RuntimeException e) {
            return "bad frame";
        }
    }

    private static boolean fastPath(byte[] b) {
        return new MessageScanner().scan(b, 0, b.length, new Frame());
    }

    @Test
    void messagesTheServerWritesTakeTheFastPathAndReadAsJacksonReadsThem() {
        List<ServerMessage.ChatMessage> messages = List.of(
                message("diabetes", 43, Payload.format(0x0a1b2c, 7, 42, 81234567890123L)),
                message("lt-0001", 1, Payload.format(0x100000, 0, 1, -5_000_000_000L)),
                message("lt-0999", 0, Payload.format(0xffffff, 2_000_000_000, 999_999_999_999L, 1767225600000123L)),
                message("x", 123_456_789_012L, "Anyone else up at 3am checking levels?"),
                message("diabetes", 44, "lt 3f9a2c-17 42"),
                message("diabetes", 45, Payload.format(0x3f9a2c, 1, 2, 3)).tombstone(),
                new ServerMessage.ChatMessage(
                        "diabetes",
                        46,
                        "m-46",
                        new UserInfo("u", "Robin \"the\" \\ one", "member"),
                        Payload.format(0x3f9a2c, 1, 3, 4),
                        1L,
                        null));
        for (ServerMessage.ChatMessage m : messages) {
            byte[] b = CODEC.encode(m);
            assertThat(fastPath(b)).as(new String(b, StandardCharsets.UTF_8)).isTrue();
            assertThat(reader(b)).isEqualTo(jackson(b)).startsWith("MESSAGE");
        }
        Frame f = new Frame();
        assertThat(new MessageScanner().scan(CODEC.encode(messages.get(0)), 0, CODEC.encode(messages.get(0)).length, f))
                .isTrue();
        assertThat(f.room).isEqualTo("diabetes");
        assertThat(f.message.seq).isEqualTo(43);
        assertThat(f.message.lt).isTrue();
        assertThat(f.message.payload.publisher).isEqualTo(7);
        assertThat(f.message.payload.publisherSeq).isEqualTo(42);
        assertThat(f.message.payload.time).isEqualTo(81234567890123L);
    }

    @Test
    void textsAndRoomsWithEscapesOrUnicodeGoToJacksonAndReadTheSame() {
        List<byte[]> frames = List.of(
                CODEC.encode(message("diabetes", 1, "she said \"hi\"\nthen left")),
                CODEC.encode(message("diabetes", 2, "Zoë ☕ 😀")),
                CODEC.encode(message("café", 3, Payload.format(0x3f9a2c, 1, 2, 3))),
                CODEC.encode(message("diabetes", 4, "x".repeat(500))),
                // An escaped space still makes a payload for Jackson: the fast path must not read it as "not one".
                utf8("{\"type\":\"message\",\"room\":\"r\",\"seq\":5,\"text\":\"lt\\u0020100000-2 5 123\"}"),
                utf8("{\"type\":\"message\",\"room\":\"r\\u0041\",\"seq\":6,\"text\":\"lt 100000-2 6 123\"}"));
        for (byte[] b : frames) {
            assertThat(fastPath(b)).as(new String(b, StandardCharsets.UTF_8)).isFalse();
            assertThat(reader(b)).isEqualTo(jackson(b)).startsWith("MESSAGE");
        }
        assertThat(reader(frames.get(4))).contains("/true/");
        assertThat(reader(frames.get(5))).contains("room=rA");
    }

    @Test
    void otherFrameTypesGoToJackson() {
        List<ServerMessage> others = List.of(
                new ServerMessage.Ack("s7", "diabetes", "c-1", "m-1", 43, 1L, true),
                new ServerMessage.Joined(
                        "j0",
                        "diabetes",
                        "e-1",
                        9,
                        true,
                        List.of(
                                message("diabetes", 8, Payload.format(0x100000, 0, 1, 5)),
                                message("diabetes", 9, "hi")),
                        false,
                        List.of(AUTHOR)),
                new ServerMessage.History("h", "diabetes", List.of(message("diabetes", 8, "hi")), true),
                new ServerMessage.Error("s8", ErrorCode.RATE_LIMITED.wire(), "slow down", true, 250L),
                new ServerMessage.Left("l0", "diabetes"),
                new ServerMessage.Pong("p"),
                new ServerMessage.TypingEvent("diabetes", AUTHOR, true));
        for (ServerMessage m : others) {
            byte[] b = CODEC.encode(m);
            assertThat(fastPath(b)).as(new String(b, StandardCharsets.UTF_8)).isFalse();
            assertThat(reader(b)).isEqualTo(jackson(b)).doesNotStartWith("bad");
        }
    }

    @Test
    void aMessageInAnUnexpectedShapeGoesToJacksonAndReadsTheSame() {
        List<String> frames = List.of(
                "{\"room\":\"r\",\"type\":\"message\",\"seq\":1,\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"ref\":\"x\",\"seq\":1,\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"extra\":1,\"seq\":1,\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"room\":\"s\",\"seq\":1,\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1,\"seq\":2,\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1,\"text\":\"a\",\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":null,\"seq\":1,\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":\"1\",\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1.0,\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":12345678901234567890,\"text\":\"x\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1,\"text\":42}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1,\"ts\":1.5e3,\"text\":\"lt 100000-2 5 123\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1,\"type\":\"ack\"}",
                "{\"type\":\"message\",\"author\":[[[[[[[[[[1]]]]]]]]]],\"room\":\"r\",\"seq\":1}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1,\"text\":\"lt 100000-2 5 123\"} trailing",
                "{\"type\":\"message\"}",
                " {\"type\":\"message\",\"room\":\"r\",\"seq\":1}");
        for (String json : frames) {
            byte[] b = utf8(json);
            assertThat(fastPath(b)).as(json).isFalse();
            assertThat(reader(b)).as(json).isEqualTo(jackson(b));
        }
    }

    @Test
    void spacesFieldOrderAndEscapesInSkippedFieldsStayOnTheFastPath() {
        List<String> frames = List.of(
                "{\"type\":\"message\", \"text\" : \"lt 100000-2 5 123\" ,\n\"seq\":\t7,\r\"room\":\"r\" }\n",
                "{\"type\":\"message\",\"room\":\"r\",\"author\":{\"id\":\"a\\\"b\\u00e9\\/\",\"x\":[1,-2,true,false,null,"
                        + "{},[],{\"y\":{}}]},\"seq\":-0,\"deleted\":true,\"clientMsgId\":null}",
                "{\"type\":\"message\",\"seq\":0}");
        for (String json : frames) {
            byte[] b = utf8(json);
            assertThat(fastPath(b)).as(json).isTrue();
            assertThat(reader(b)).as(json).isEqualTo(jackson(b));
        }
    }

    @Test
    void brokenMessagesAreBadFramesAsBefore() {
        List<String> frames = List.of(
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1,}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":01}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":-}",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1",
                "{\"type\":\"message\",\"room\":\"r\",\"seq\":1 2}",
                "{\"type\":\"message\",\"room\":\"r\",\"deleted\":tru}",
                "{\"type\":\"message\",\"room\":\"r\",\"deleted\":truex}",
                "{\"type\":\"message\",\"room\":\"r\",\"text\":\"a\u0001b\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"id\":\"a\\xb\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"id\":\"a\\u12g4\"}",
                "{\"type\":\"message\",\"room\":\"r\",\"author\":{\"id\" \"a\"}}",
                "{\"type\":\"message\",\"room\":\"r\",\"author\":{\"id\":\"a\",}}",
                "{\"type\":\"message\",\"room\":\"r\",\"author\":[1,]}",
                "{\"type\":\"message\",\"room\":\"r,\"seq\":1}",
                "{\"type\":\"message\",\"room\":\"r\"\"seq\":1}");
        for (String json : frames) {
            byte[] b = utf8(json);
            assertThat(jackson(b)).as(json).isEqualTo("bad frame");
            assertThat(reader(b)).as(json).isEqualTo("bad frame");
        }
        byte[] badUtf8 = utf8("{\"type\":\"message\",\"room\":\"r\",\"id\":\"a?b\",\"seq\":1}");
        badUtf8[new String(badUtf8, StandardCharsets.UTF_8).indexOf('?')] = (byte) 0xFF;
        assertThat(fastPath(badUtf8)).isFalse();
        assertThat(reader(badUtf8)).isEqualTo(jackson(badUtf8));
        assertThatThrownBy(() -> new FrameReader().read(utf8("[1,2]"), 0, 5, new Frame()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void everyCutAndEveryBrokenByteOfARealMessageReadsAsJacksonReadsIt() {
        byte[] real = CODEC.encode(message("diabetes", 43, Payload.format(0x0a1b2c, 7, 42, 81234567890123L)));
        byte[] replacements = utf8("\"\\{}[],: 0-.ex9tnu");
        List<byte[]> variants = new ArrayList<>();
        for (int n = 0; n < real.length; n++) {
            variants.add(java.util.Arrays.copyOf(real, n));
        }
        for (int i = 0; i < real.length; i++) {
            for (byte r : replacements) {
                variants.add(replace(real, i, r));
            }
            variants.add(replace(real, i, (byte) 0x01));
            variants.add(replace(real, i, (byte) 0xC3));
        }
        for (byte[] b : variants) {
            assertThat(reader(b)).as(new String(b, StandardCharsets.ISO_8859_1)).isEqualTo(jackson(b));
        }
    }

    private static byte[] replace(byte[] b, int i, byte r) {
        byte[] copy = b.clone();
        copy[i] = r;
        return copy;
    }

    @Test
    void aDeclinedFrameIsLeftUntouched() {
        Frame f = new Frame();
        MessageScanner scanner = new MessageScanner();
        byte[] good = CODEC.encode(message("diabetes", 43, Payload.format(0x0a1b2c, 7, 42, 5)));
        assertThat(scanner.scan(good, 0, good.length, f)).isTrue();
        String before = describe(f);
        byte[] broken = utf8("{\"type\":\"message\",\"room\":\"other\",\"seq\":44,\"text\":\"lt 0a1b2c-7 43 6\",}");
        assertThat(scanner.scan(broken, 0, broken.length, f)).isFalse();
        assertThat(describe(f)).isEqualTo(before);
    }

    @Test
    void aRoomIdIsOneStringFrameAfterFrame() throws IOException {
        FrameReader reader = new FrameReader();
        Frame f = new Frame();
        List<String> seen = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String room : List.of("diabetes", "lt-0001", "lt-0002")) {
                byte[] b = CODEC.encode(message(room, round, "hi"));
                reader.read(b, 0, b.length, f);
                assertThat(f.room).isEqualTo(room).isSameAs(f.message.room);
                seen.add(f.room);
            }
        }
        for (int i = 3; i < seen.size(); i++) {
            assertThat(seen.get(i)).isSameAs(seen.get(i - 3));
        }
        // More rooms than the cache holds: still the right ids.
        for (int i = 0; i < 3 * RoomIdCache.SIZE; i++) {
            String room = "lt-" + (i % (RoomIdCache.SIZE + 3));
            byte[] b = CODEC.encode(message(room, i, "hi"));
            reader.read(b, 0, b.length, f);
            assertThat(f.room).isEqualTo(room);
        }
    }

    @Test
    void framesInDirectBuffersAndSlicesOfArraysReadAlike() throws IOException {
        byte[] b = CODEC.encode(message("diabetes", 43, Payload.format(0x0a1b2c, 7, 42, 5)));
        String expected = jackson(b);
        byte[] padded = new byte[b.length + 20];
        System.arraycopy(b, 0, padded, 7, b.length);
        ByteBuf direct = Unpooled.directBuffer(b.length + 4).writeZero(4).writeBytes(b);
        direct.readerIndex(4);
        List<ByteBuf> bufs = List.of(
                Unpooled.wrappedBuffer(padded).slice(7, b.length),
                direct,
                Unpooled.wrappedBuffer(CODEC.encode(new ServerMessage.Pong("p"))));
        try {
            FrameReader reader = new FrameReader();
            Frame f = new Frame();
            reader.read(bufs.get(0), f);
            assertThat(describe(f)).isEqualTo(expected);
            reader.read(bufs.get(1), f);
            assertThat(describe(f)).isEqualTo(expected);
            reader.read(bufs.get(2), f);
            assertThat(f.type).isEqualTo(Frame.Type.PONG);
        } finally {
            bufs.forEach(ByteBuf::release);
        }
    }
}
