package org.kindred.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenJsonTest {

    private final WireCodec codec = new WireCodec();

    static Stream<Golden.Example> clientExamples() {
        return Golden.CLIENT.stream();
    }

    static Stream<Golden.Example> serverExamples() {
        return Golden.SERVER.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientExamples")
    void clientCommandEncodesToItsGoldenJson(Golden.Example example) {
        assertThat(codec.encode((ClientMessage) example.message())).isEqualTo(example.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientExamples")
    void clientGoldenJsonDecodesToAnEqualCommand(Golden.Example example) throws DecodeException {
        assertThat(codec.decodeClient(example.json())).isEqualTo(example.message());
        assertThat(codec.decodeClient(example.json().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(example.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverExamples")
    void serverFrameEncodesToItsGoldenJson(Golden.Example example) {
        byte[] encoded = codec.encode((ServerMessage) example.message());
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(example.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverExamples")
    void serverGoldenJsonDecodesToAnEqualFrame(Golden.Example example) throws DecodeException {
        assertThat(codec.decodeServer(example.json())).isEqualTo(example.message());
    }

    @Test
    void everyClientCommandTypeHasAGoldenExample() {
        assertThat(Golden.CLIENT.stream()
                        .<Class<?>>map(e -> e.message().getClass())
                        .distinct()
                        .toList())
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(ClientMessage.class.getPermittedSubclasses()));
    }

    @Test
    void everyServerFrameTypeHasAGoldenExample() {
        assertThat(Golden.SERVER.stream()
                        .<Class<?>>map(e -> e.message().getClass())
                        .distinct()
                        .toList())
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(ServerMessage.class.getPermittedSubclasses()));
    }

    @Test
    void nullOptionalFieldsAreLeftOutWhenEncoding() {
        assertThat(codec.encode(new ClientMessage.Hello(null, "t", null))).isEqualTo("""
                {"type":"hello","token":"t"}""");
        assertThat(new String(codec.encode(new ServerMessage.Pong(null)), StandardCharsets.UTF_8))
                .isEqualTo("""
                {"type":"pong"}""");
        var noClientMsgId = new ServerMessage.ChatMessage("r", 1, "m", Golden.ROBIN, "hi", 5, null);
        assertThat(new String(codec.encode(noClientMsgId), StandardCharsets.UTF_8))
                .doesNotContain("clientMsgId");
        assertThat(new String(codec.encode(noClientMsgId), StandardCharsets.UTF_8))
                .doesNotContain("deleted");
    }

    @Test
    void aTombstoneKeepsItsPlaceAndLosesItsText() throws DecodeException {
        var tombstone = Golden.MESSAGE_44.tombstone();
        assertThat(tombstone.isDeleted()).isTrue();
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.text()).isEmpty();
        assertThat(tombstone)
                .extracting("room", "seq", "id", "author", "ts", "clientMsgId")
                .containsExactly("diabetes-t1", 44L, "m-1044", Golden.CASEY, 1767225720000L, "c-77f0-0003");
        assertThat(Golden.MESSAGE_44.isDeleted()).isFalse();
        assertThat(Golden.MESSAGE_44.deleted()).isNull();
        assertThat(codec.decodeServer(new String(codec.encode(tombstone), StandardCharsets.UTF_8)))
                .isEqualTo(tombstone);
    }

    @Test
    void deletedFalseIsTheSameAsAbsent() throws DecodeException {
        var message = (ServerMessage.ChatMessage) codec.decodeServer("""
                {"type":"message","room":"r","seq":1,"id":"m","author":{"id":"u","pseudonym":"U","role":"member"},\
                "text":"hi","ts":5,"deleted":false}""");
        assertThat(message.deleted()).isNull();
        assertThat(message)
                .isEqualTo(new ServerMessage.ChatMessage("r", 1, "m", new UserInfo("u", "U", "member"), "hi", 5, null));
    }

    @Test
    void aReportDefaultsItsReportedUserToTheMessageAuthorAndNeedsOneWithoutAMessage() {
        var report = new ServerMessage.ReportInfo(
                "rp-1", "spam", null, Golden.MESSAGE_44, List.of(), Golden.ROBIN, 1, "open", null, null, null);
        assertThat(report.reportedUserId()).isEqualTo("u-5e27");
        assertThat(Golden.BLOCK_REPORT_INFO.message()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerMessage.ReportInfo(
                        "rp-1", "other", null, null, List.of(), Golden.ROBIN, 1, "open", null, null, null))
                .hasMessageContaining("reportedUserId");
    }

    @Test
    void absentOptionalFieldsDecodeAsNull() throws DecodeException {
        assertThat(codec.decodeClient("""
                {"type":"hello","token":"t"}""")).isEqualTo(new ClientMessage.Hello(null, "t", null));
        assertThat(codec.decodeClient("""
                {"type":"history","room":"r"}""")).isEqualTo(new ClientMessage.FetchHistory(null, "r", null, null));
    }

    @Test
    void fieldOrderInTheInputDoesNotMatter() throws DecodeException {
        assertThat(codec.decodeClient("""
                {"text":"hi","clientMsgId":"c1","room":"r","ref":"x","type":"send"}""")).isEqualTo(new ClientMessage.Send("x", "r", "c1", "hi"));
    }

    @Test
    void nonAsciiTextSurvivesARoundTrip() throws DecodeException {
        var send = new ClientMessage.Send("1", "r", "c1", "Ça va? 💙 \"quoted\" \n new line");
        assertThat(codec.decodeClient(codec.encode(send))).isEqualTo(send);
    }

    @Test
    void roomInfoDefaultsMissingDescriptionAndTags() throws DecodeException {
        var rooms = (ServerMessage.RoomList) codec.decodeServer("""
                {"type":"rooms","rooms":[{"id":"a","title":"A","online":0,"writable":true}]}""");
        assertThat(rooms.rooms()).containsExactly(new RoomInfo("a", "A", "", List.of(), 0, true));
    }

    @Test
    void decodeExceptionTurnsIntoAnErrorFrameEchoingTheRef() {
        var error = new DecodeException(ErrorCode.UNKNOWN_TYPE, "unknown type 'x'", "r9").toError();
        assertThat(new String(codec.encode(error), StandardCharsets.UTF_8)).isEqualTo("""
                {"type":"error","ref":"r9","code":"unknown_type","message":"unknown type 'x'","retryable":false}""");
        assertThat(error.errorCode()).contains(ErrorCode.UNKNOWN_TYPE);
    }

    @Test
    void errorWithACodeThisBuildDoesNotKnowStillDecodes() throws DecodeException {
        var error = (ServerMessage.Error) codec.decodeServer("""
                {"type":"error","code":"from_the_future","message":"m","retryable":true}""");
        assertThat(error.code()).isEqualTo("from_the_future");
        assertThat(error.errorCode()).isEmpty();
    }
}
