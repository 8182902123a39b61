package org.kindred.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameScannerTest {

    private static Frame scan(String json) throws IOException {
        Frame f = new Frame();
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        FrameScanner.scan(b, 0, b.length, f);
        return f;
    }

    @Test
    void readsAMessage() throws IOException {
        Frame f = scan(
                "{\"type\":\"message\",\"room\":\"diabetes\",\"seq\":43,\"id\":\"m-1043\",\"author\":{\"id\":\"u\","
                        + "\"pseudonym\":\"Robin\",\"role\":\"member\"},\"text\":\"lt 100000-2 5 123\",\"ts\":1767225660000,"
                        + "\"clientMsgId\":\"c-1\"}");
        assertThat(f.type).isEqualTo(Frame.Type.MESSAGE);
        assertThat(f.message.room).isEqualTo("diabetes");
        assertThat(f.message.seq).isEqualTo(43);
        assertThat(f.message.lt).isTrue();
        assertThat(f.message.payload.publisher).isEqualTo(2);
        assertThat(f.message.payload.publisherSeq).isEqualTo(5);
    }

    @Test
    void readsTheSupportFramesOfTheSupportScenario() throws IOException {
        Frame started = scan("{\"type\":\"session_started\",\"ref\":\"a\",\"sessionId\":\"s-9e21d4\","
                + "\"requestId\":\"r-8c1d2e\",\"member\":{\"id\":\"u-7f3a\",\"pseudonym\":\"Robin\",\"role\":\"member\"},"
                + "\"mentor\":{\"id\":\"u-91c0\",\"pseudonym\":\"Sam\",\"role\":\"mentor\"},\"condition\":\"metabolic\","
                + "\"language\":\"en\",\"continued\":false}");
        assertThat(started.type).isEqualTo(Frame.Type.SESSION_STARTED);
        assertThat(started.ref).isEqualTo("a");
        assertThat(started.sessionId).isEqualTo("s-9e21d4");
        assertThat(started.requestId).isEqualTo("r-8c1d2e");
        Frame offer = scan("{\"type\":\"support_offer\",\"requestId\":\"r-1\",\"condition\":\"metabolic\","
                + "\"language\":\"en\",\"member\":{\"id\":\"u\",\"pseudonym\":\"Robin\",\"role\":\"member\"},"
                + "\"expiresAt\":1767225630000}");
        assertThat(offer.type).isEqualTo(Frame.Type.SUPPORT_OFFER);
        assertThat(offer.requestId).isEqualTo("r-1");
        assertThat(offer.sessionId).isNull();
        assertThat(scan("{\"type\":\"session_ended\",\"sessionId\":\"s-1\",\"reason\":\"ended\"}").type)
                .isEqualTo(Frame.Type.SESSION_ENDED);
        assertThat(scan("{\"type\":\"done\",\"ref\":\"e\",\"command\":\"end_session\"}").type)
                .isEqualTo(Frame.Type.DONE);
    }

    @Test
    void theTypeMayComeLastAndOtherTextsAreNotPayloads() throws IOException {
        Frame f = scan("{\"room\":\"r\",\"seq\":1,\"text\":\"hello \\\"you\\\"\",\"type\":\"message\"}");
        assertThat(f.type).isEqualTo(Frame.Type.MESSAGE);
        assertThat(f.message.lt).isFalse();
    }

    @Test
    void readsJoinedWithItsMessages() throws IOException {
        Frame f = scan("{\"type\":\"joined\",\"ref\":\"j0\",\"room\":\"r\",\"epoch\":\"e-1\",\"lastSeq\":9,"
                + "\"recovered\":true,\"messages\":[{\"type\":\"message\",\"room\":\"r\",\"seq\":8,\"author\":{},"
                + "\"text\":\"lt 100000-0 1 5\"},{\"type\":\"message\",\"room\":\"r\",\"seq\":9,\"text\":\"hi\"}],"
                + "\"hasMore\":false,\"presence\":[{\"id\":\"a\"},{\"id\":\"b\"}]}");
        assertThat(f.type).isEqualTo(Frame.Type.JOINED);
        assertThat(f.ref).isEqualTo("j0");
        assertThat(f.epoch).isEqualTo("e-1");
        assertThat(f.lastSeq).isEqualTo(9);
        assertThat(f.recovered).isTrue();
        assertThat(f.messageCount).isEqualTo(2);
        assertThat(f.joinedMessage(0).lt).isTrue();
        assertThat(f.joinedMessage(0).seq).isEqualTo(8);
        assertThat(f.joinedMessage(1).lt).isFalse();
    }

    @Test
    void readsAckErrorAndRooms() throws IOException {
        Frame ack =
                scan("{\"type\":\"ack\",\"ref\":\"s7\",\"room\":\"r\",\"clientMsgId\":\"c\",\"id\":\"m\",\"seq\":43,"
                        + "\"ts\":1,\"duplicate\":true}");
        assertThat(ack.type).isEqualTo(Frame.Type.ACK);
        assertThat(Commands.refNumber(ack.ref, 's')).isEqualTo(7);
        assertThat(ack.seq).isEqualTo(43);
        assertThat(ack.duplicate).isTrue();
        Frame err = scan("{\"type\":\"error\",\"ref\":\"s8\",\"code\":\"rate_limited\",\"message\":\"x\","
                + "\"retryable\":true,\"retryAfterMs\":250}");
        assertThat(err.type).isEqualTo(Frame.Type.ERROR);
        assertThat(err.code).isEqualTo("rate_limited");
        Frame rooms = scan("{\"type\":\"rooms\",\"ref\":\"r\",\"rooms\":[{\"id\":\"a\",\"title\":\"A\",\"tags\":[],"
                + "\"writable\":true},{\"id\":\"welcome\",\"writable\":false}]}");
        assertThat(rooms.rooms).containsExactly(new Frame.RoomInfo("a", true), new Frame.RoomInfo("welcome", false));
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThatThrownBy(() -> scan("[1,2]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> scan("{\"room\":\"r\"}")).isInstanceOf(IOException.class);
    }
}
