package org.kindred.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecodeErrorsTest {

    private final WireCodec codec = new WireCodec();

    private DecodeException failure(String json) {
        DecodeException e = catchThrowableOfType(DecodeException.class, () -> codec.decodeClient(json));
        assertThat(e).as("decoding %s should fail", json).isNotNull();
        return e;
    }

    private void assertFails(String json, ErrorCode code, String message, String ref) {
        DecodeException e = failure(json);
        assertThat(e.code()).as("code for %s", json).isEqualTo(code);
        assertThat(e.getMessage()).as("message for %s", json).isEqualTo(message);
        assertThat(e.ref()).as("ref for %s", json).isEqualTo(ref);
    }

    @Test
    void truncatedJsonIsBadJson() {
        assertFails("{", ErrorCode.BAD_JSON, "frame is not valid JSON", null);
    }

    @Test
    void brokenJsonStillEchoesARefThatCouldBeRead() {
        assertFails("{\"type\":\"ping\",\"ref\":\"r1\"", ErrorCode.BAD_JSON, "frame is not valid JSON", "r1");
        assertFails(
                "{\"type\":\"send\",\"ref\":\"r1\",\"room\":\"a\",\"text\":\"x\",}",
                ErrorCode.BAD_JSON,
                "frame is not valid JSON",
                "r1");
        assertFails(
                "{\"type\":\"join\",\"room\":\"a\",\"since\":01,\"ref\":\"r1\"}",
                ErrorCode.BAD_JSON,
                "frame is not valid JSON",
                null);
    }

    @Test
    void textThatIsNotJsonIsBadJson() {
        assertFails("hello there", ErrorCode.BAD_JSON, "frame is not valid JSON", null);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[]",
                "[\"ping\"]",
                "[\"ping\",{\"ref\":\"r1\"}]",
                "\"ping\"",
                "42",
                "1.5",
                "true",
                "null",
                "",
                "  \n"
            })
    void aTopLevelValueOtherThanAnObjectIsBadJson(String json) {
        assertFails(json, ErrorCode.BAD_JSON, "expected a JSON object", null);
    }

    @Test
    void aSecondValueAfterTheObjectIsBadJson() {
        assertFails(
                "{\"type\":\"ping\",\"ref\":\"r1\"} {}",
                ErrorCode.BAD_JSON,
                "unexpected data after the JSON object",
                "r1");
        assertFails(
                "{\"type\":\"ping\",\"ref\":\"r1\"}{\"type\":\"ping\"}",
                ErrorCode.BAD_JSON,
                "unexpected data after the JSON object",
                "r1");
    }

    @Test
    void trailingGarbageAfterTheObjectIsBadJson() {
        assertFails("{\"type\":\"ping\",\"ref\":\"r1\"} x", ErrorCode.BAD_JSON, "frame is not valid JSON", "r1");
    }

    @Test
    void trailingWhitespaceIsFine() throws DecodeException {
        assertThat(codec.decodeClient(" {\"type\":\"ping\"} \r\n")).isEqualTo(new ClientMessage.Ping(null));
    }

    @Test
    void missingTypeIsMissingField() {
        assertFails("{\"ref\":\"r1\",\"room\":\"a\"}", ErrorCode.MISSING_FIELD, "missing field 'type'", "r1");
        assertFails("{\"ref\":\"r1\",\"type\":null}", ErrorCode.MISSING_FIELD, "missing field 'type'", "r1");
        assertFails("{}", ErrorCode.MISSING_FIELD, "missing field 'type'", null);
    }

    @Test
    void aTypeThatIsNotAStringIsAnInvalidFieldNotAnUnknownType() {
        assertFails("{\"type\":5,\"ref\":\"r1\"}", ErrorCode.INVALID_FIELD, "field 'type' must be a string", "r1");
        assertFails("{\"type\":true}", ErrorCode.INVALID_FIELD, "field 'type' must be a string", null);
    }

    @Test
    void unknownTypeIsUnknownType() {
        assertFails("{\"type\":\"shout\",\"ref\":\"r1\"}", ErrorCode.UNKNOWN_TYPE, "unknown type 'shout'", "r1");
    }

    @Test
    void typeNamesAreCaseSensitive() {
        assertFails("{\"type\":\"Ping\"}", ErrorCode.UNKNOWN_TYPE, "unknown type 'Ping'", null);
    }

    @Test
    void serverFrameTypesAreUnknownToTheClientDecoder() {
        assertFails("{\"type\":\"welcome\",\"ref\":\"r1\"}", ErrorCode.UNKNOWN_TYPE, "unknown type 'welcome'", "r1");
    }

    @Test
    void aVeryLongUnknownTypeIsClippedInTheMessage() {
        DecodeException e = failure("{\"type\":\"" + "x".repeat(500) + "\"}");
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(e.getMessage()).isEqualTo("unknown type '" + "x".repeat(40) + "…'");
    }

    @Test
    void sendWithoutTextIsMissingFieldNamingText() {
        assertFails(
                "{\"type\":\"send\",\"ref\":\"r1\",\"room\":\"a\",\"clientMsgId\":\"c1\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'text'",
                "r1");
        assertFails(
                "{\"type\":\"send\",\"ref\":\"r1\",\"room\":\"a\",\"clientMsgId\":\"c1\",\"text\":null}",
                ErrorCode.MISSING_FIELD,
                "missing field 'text'",
                "r1");
    }

    @Test
    void sendWithoutClientMsgIdIsMissingFieldNamingClientMsgId() {
        assertFails(
                "{\"type\":\"send\",\"ref\":\"r1\",\"room\":\"a\",\"text\":\"hi\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'clientMsgId'",
                "r1");
    }

    @Test
    void joinWithoutRoomIsMissingFieldNamingRoom() {
        assertFails("{\"type\":\"join\",\"ref\":\"r1\"}", ErrorCode.MISSING_FIELD, "missing field 'room'", "r1");
    }

    @Test
    void typingWithoutActiveIsMissingFieldNamingActive() {
        assertFails(
                "{\"type\":\"typing\",\"ref\":\"r1\",\"room\":\"a\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'active'",
                "r1");
    }

    @Test
    void blankRoomIsInvalidField() {
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":\"  \"}",
                ErrorCode.INVALID_FIELD,
                "field 'room' must not be blank",
                "r1");
        assertFails(
                "{\"type\":\"leave\",\"ref\":\"r1\",\"room\":\"\"}",
                ErrorCode.INVALID_FIELD,
                "field 'room' must not be blank",
                "r1");
    }

    @Test
    void blankTextIsInvalidField() {
        assertFails(
                "{\"type\":\"send\",\"ref\":\"r1\",\"room\":\"a\",\"clientMsgId\":\"c1\",\"text\":\" \\n \"}",
                ErrorCode.INVALID_FIELD,
                "field 'text' must not be blank",
                "r1");
    }

    @Test
    void tooLongRoomIsInvalidField() {
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":\"" + "a".repeat(65) + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'room' is longer than 64 characters",
                "r1");
    }

    @Test
    void stringSinceIsInvalidFieldNamingSince() {
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":\"a\",\"since\":\"abc\"}",
                ErrorCode.INVALID_FIELD,
                "field 'since' has the wrong type",
                "r1");
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":\"a\",\"since\":\"5\"}",
                ErrorCode.INVALID_FIELD,
                "field 'since' has the wrong type",
                "r1");
    }

    @Test
    void fractionalSinceIsInvalidFieldNamingSince() {
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":\"a\",\"since\":1.5}",
                ErrorCode.INVALID_FIELD,
                "field 'since' has the wrong type",
                "r1");
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":\"a\",\"since\":1.0}",
                ErrorCode.INVALID_FIELD,
                "field 'since' has the wrong type",
                "r1");
    }

    @Test
    void sinceBeyondTheLongRangeIsInvalidField() {
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":\"a\",\"since\":99999999999999999999999}",
                ErrorCode.INVALID_FIELD,
                "field 'since' is invalid",
                "r1");
    }

    @Test
    void stringActiveIsInvalidFieldNamingActive() {
        assertFails(
                "{\"type\":\"typing\",\"ref\":\"r1\",\"room\":\"a\",\"active\":\"yes\"}",
                ErrorCode.INVALID_FIELD,
                "field 'active' has the wrong type",
                "r1");
        assertFails(
                "{\"type\":\"typing\",\"ref\":\"r1\",\"room\":\"a\",\"active\":1}",
                ErrorCode.INVALID_FIELD,
                "field 'active' has the wrong type",
                "r1");
    }

    @Test
    void numberOrBooleanWhereAStringBelongsIsInvalidField() {
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":5}",
                ErrorCode.INVALID_FIELD,
                "field 'room' has the wrong type",
                "r1");
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":true}",
                ErrorCode.INVALID_FIELD,
                "field 'room' has the wrong type",
                "r1");
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":[\"a\"]}",
                ErrorCode.INVALID_FIELD,
                "field 'room' has the wrong type",
                "r1");
    }

    @Test
    void nonStringRefIsInvalidFieldAndNotEchoed() {
        assertFails("{\"type\":\"ping\",\"ref\":7}", ErrorCode.INVALID_FIELD, "field 'ref' has the wrong type", null);
    }

    @Test
    void stringProtocolVersionIsInvalidField() {
        assertFails(
                "{\"type\":\"hello\",\"ref\":\"r1\",\"token\":\"t\",\"protocolVersion\":\"1\"}",
                ErrorCode.INVALID_FIELD,
                "field 'protocolVersion' has the wrong type",
                "r1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"french", "fr CA", "", "x-private", "fr-CA-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void helloLanguageThatIsNotABcp47TagIsInvalidField(String language) {
        assertFails(
                "{\"type\":\"hello\",\"ref\":\"r1\",\"token\":\"t\",\"language\":\"" + language + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'language' must be a BCP 47 language tag such as fr or fr-CA",
                "r1");
    }

    @Test
    void helloLanguageIsReadInItsCanonicalForm() throws DecodeException {
        ClientMessage hello = codec.decodeClient("{\"type\":\"hello\",\"token\":\"t\",\"language\":\"fr-CA\"}");
        assertThat(((ClientMessage.Hello) hello).language()).isEqualTo("fr-CA");
    }

    @Test
    void negativeSinceIsInvalidField() {
        assertFails(
                "{\"type\":\"join\",\"ref\":\"r1\",\"room\":\"a\",\"since\":-1}",
                ErrorCode.INVALID_FIELD,
                "field 'since' must be >= 0",
                "r1");
    }

    @Test
    void sinceZeroMeansSeenNothingAndIsValid() throws DecodeException {
        assertThat(codec.decodeClient("{\"type\":\"join\",\"room\":\"a\",\"since\":0}"))
                .isEqualTo(new ClientMessage.Join(null, "a", 0L, null));
    }

    @Test
    void historyBeforeAndLimitBelowOneAreInvalidField() {
        assertFails(
                "{\"type\":\"history\",\"ref\":\"r1\",\"room\":\"a\",\"before\":0}",
                ErrorCode.INVALID_FIELD,
                "field 'before' must be >= 1",
                "r1");
        assertFails(
                "{\"type\":\"history\",\"ref\":\"r1\",\"room\":\"a\",\"limit\":0}",
                ErrorCode.INVALID_FIELD,
                "field 'limit' must be >= 1",
                "r1");
    }

    @Test
    void tooLongRefIsInvalidFieldAndNotEchoed() {
        assertFails(
                "{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65) + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'ref' is longer than 64 characters",
                null);
    }

    @Test
    void refOfExactlyTheMaximumLengthIsAccepted() throws DecodeException {
        String ref = "r".repeat(ClientMessage.MAX_REF_LENGTH);
        assertThat(codec.decodeClient("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}"))
                .isEqualTo(new ClientMessage.Ping(ref));
    }

    @Test
    void tooLongClientMsgIdIsInvalidField() {
        assertFails(
                "{\"type\":\"send\",\"ref\":\"r1\",\"room\":\"a\",\"clientMsgId\":\"" + "c".repeat(65)
                        + "\",\"text\":\"hi\"}",
                ErrorCode.INVALID_FIELD,
                "field 'clientMsgId' is longer than 64 characters",
                "r1");
    }

    @Test
    void blankClientMsgIdIsInvalidField() {
        assertFails(
                "{\"type\":\"send\",\"ref\":\"r1\",\"room\":\"a\",\"clientMsgId\":\"\",\"text\":\"hi\"}",
                ErrorCode.INVALID_FIELD,
                "field 'clientMsgId' must not be blank",
                "r1");
    }

    @Test
    void refIsEchoedWhereverItStandsInTheObject() {
        assertFails(
                "{\"type\":\"send\",\"room\":\"a\",\"extra\":{\"ref\":\"inner\"},\"clientMsgId\":\"c1\",\"ref\":\"r2\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'text'",
                "r2");
    }

    @Test
    void unknownExtraFieldsAreIgnored() throws DecodeException {
        assertThat(codec.decodeClient("""
                {"type":"send","ref":"r1","room":"a","clientMsgId":"c1","text":"hi","mood":"ok",\
                "meta":{"nested":[1,{"x":null}]},"n":1.5}""")).isEqualTo(new ClientMessage.Send("r1", "a", "c1", "hi"));
    }

    @Test
    void errorFrameForADecodeFailureCarriesCodeRetryableAndRef() {
        ServerMessage.Error error =
                failure("{\"type\":\"join\",\"ref\":\"r1\"}").toError();
        assertThat(error)
                .isEqualTo(new ServerMessage.Error("r1", "missing_field", "missing field 'room'", false, null));
    }

    @Test
    void serverDecoderReportsTheSameKindsOfErrors() {
        DecodeException notObject = catchThrowableOfType(DecodeException.class, () -> codec.decodeServer("[1]"));
        assertThat(notObject.code()).isEqualTo(ErrorCode.BAD_JSON);
        DecodeException unknown = catchThrowableOfType(
                DecodeException.class, () -> codec.decodeServer("{\"type\":\"send\",\"ref\":\"r1\"}"));
        assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(unknown.ref()).isEqualTo("r1");
        DecodeException missing = catchThrowableOfType(
                DecodeException.class, () -> codec.decodeServer("{\"type\":\"left\",\"ref\":\"r1\"}"));
        assertThat(missing.code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(missing.getMessage()).isEqualTo("missing field 'room'");
    }

    @Test
    void invalidUtf8IsBadJson() {
        byte[] frame = "{\"type\":\"send\",\"room\":\"a\",\"clientMsgId\":\"c\",\"text\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        frame[frame.length - 3] = (byte) 0xC3; // a lead byte followed by '"': malformed UTF-8 inside the text
        DecodeException e = catchThrowableOfType(DecodeException.class, () -> codec.decodeClient(frame));
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_JSON);
        assertThat(e.getMessage()).isEqualTo("frame is not valid JSON");
    }

    @Test
    void setAvailabilityAvailableWithoutConditionsIsInvalidFieldNamingConditions() {
        assertFails(
                "{\"type\":\"set_availability\",\"ref\":\"r1\",\"available\":true,\"languages\":[\"en\"]}",
                ErrorCode.INVALID_FIELD,
                "field 'conditions' must name at least one condition",
                "r1");
        assertFails(
                "{\"type\":\"set_availability\",\"ref\":\"r1\",\"available\":true,\"conditions\":[],"
                        + "\"languages\":[\"en\"]}",
                ErrorCode.INVALID_FIELD,
                "field 'conditions' must name at least one condition",
                "r1");
    }

    @Test
    void setAvailabilityAvailableWithoutLanguagesIsInvalidFieldNamingLanguages() {
        assertFails(
                "{\"type\":\"set_availability\",\"ref\":\"r1\",\"available\":true,\"conditions\":[\"diabetes\"]}",
                ErrorCode.INVALID_FIELD,
                "field 'languages' must name at least one language",
                "r1");
    }

    @Test
    void setAvailabilityAwayNeedsNeitherConditionsNorLanguages() throws DecodeException {
        assertThat(codec.decodeClient("{\"type\":\"set_availability\",\"available\":false}"))
                .isEqualTo(
                        new ClientMessage.SetAvailability(null, false, java.util.List.of(), java.util.List.of(), null));
    }

    @Test
    void setAvailabilityWithoutAvailableIsMissingField() {
        assertFails(
                "{\"type\":\"set_availability\",\"ref\":\"r1\",\"conditions\":[\"diabetes\"],\"languages\":[\"en\"]}",
                ErrorCode.MISSING_FIELD,
                "missing field 'available'",
                "r1");
    }

    @Test
    void capacityBelowOneIsInvalidField() {
        assertFails(
                "{\"type\":\"set_availability\",\"ref\":\"r1\",\"available\":true,\"conditions\":[\"diabetes\"],"
                        + "\"languages\":[\"en\"],\"capacity\":0}",
                ErrorCode.INVALID_FIELD,
                "field 'capacity' must be >= 1",
                "r1");
    }

    @Test
    void ratingOutsideOneToFiveIsInvalidField() {
        assertFails(
                "{\"type\":\"rate_session\",\"ref\":\"r1\",\"sessionId\":\"s-1\",\"rating\":6}",
                ErrorCode.INVALID_FIELD,
                "field 'rating' must be 1 to 5",
                "r1");
        assertFails(
                "{\"type\":\"rate_session\",\"ref\":\"r1\",\"sessionId\":\"s-1\",\"rating\":0}",
                ErrorCode.INVALID_FIELD,
                "field 'rating' must be 1 to 5",
                "r1");
    }

    @Test
    void rateSessionWithoutRatingIsMissingField() {
        assertFails(
                "{\"type\":\"rate_session\",\"ref\":\"r1\",\"sessionId\":\"s-1\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'rating'",
                "r1");
    }

    @Test
    void noteLongerThan500CharactersIsInvalidField() {
        assertFails(
                "{\"type\":\"mentor_note\",\"ref\":\"r1\",\"sessionId\":\"s-1\",\"note\":\"" + "n".repeat(501) + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'note' is longer than 500 characters",
                "r1");
        assertFails(
                "{\"type\":\"request_support\",\"ref\":\"r1\",\"condition\":\"diabetes\",\"language\":\"en\","
                        + "\"note\":\"" + "n".repeat(501) + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'note' is longer than 500 characters",
                "r1");
        assertFails(
                "{\"type\":\"rate_session\",\"ref\":\"r1\",\"sessionId\":\"s-1\",\"rating\":4," + "\"comment\":\""
                        + "c".repeat(501) + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'comment' is longer than 500 characters",
                "r1");
    }

    @Test
    void noteOfExactly500CharactersIsAccepted() throws DecodeException {
        String note = "n".repeat(ClientMessage.MAX_NOTE_LENGTH);
        assertThat(codec.decodeClient("{\"type\":\"mentor_note\",\"sessionId\":\"s-1\",\"note\":\"" + note + "\"}"))
                .isEqualTo(new ClientMessage.MentorNote(null, "s-1", note));
    }

    @Test
    void mentorNoteWithoutNoteIsMissingField() {
        assertFails(
                "{\"type\":\"mentor_note\",\"ref\":\"r1\",\"sessionId\":\"s-1\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'note'",
                "r1");
    }

    @Test
    void answerHandoffWithoutConsentIsMissingField() {
        assertFails(
                "{\"type\":\"answer_handoff\",\"ref\":\"r1\",\"sessionId\":\"s-1\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'consent'",
                "r1");
    }

    @Test
    void requestSupportWithoutConditionOrLanguageIsMissingField() {
        assertFails(
                "{\"type\":\"request_support\",\"ref\":\"r1\",\"language\":\"en\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'condition'",
                "r1");
        assertFails(
                "{\"type\":\"request_support\",\"ref\":\"r1\",\"condition\":\"diabetes\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'language'",
                "r1");
    }

    @Test
    void supportCommandsWithoutTheirIdAreMissingField() {
        for (String type : new String[] {"cancel_support", "accept_offer", "decline_offer"}) {
            assertFails(
                    "{\"type\":\"" + type + "\",\"ref\":\"r1\"}",
                    ErrorCode.MISSING_FIELD,
                    "missing field 'requestId'",
                    "r1");
        }
        for (String type : new String[] {
            "end_session", "rate_session", "mentor_note", "propose_handoff", "answer_handoff", "delete_transcript"
        }) {
            assertFails(
                    "{\"type\":\"" + type + "\",\"ref\":\"r1\"}",
                    ErrorCode.MISSING_FIELD,
                    "missing field 'sessionId'",
                    "r1");
        }
    }

    @Test
    void stringRatingIsInvalidField() {
        assertFails(
                "{\"type\":\"rate_session\",\"ref\":\"r1\",\"sessionId\":\"s-1\",\"rating\":\"5\"}",
                ErrorCode.INVALID_FIELD,
                "field 'rating' has the wrong type",
                "r1");
    }

    @Test
    void reportWithAnUnknownCategoryIsInvalidFieldListingTheCategories() {
        assertFails(
                "{\"type\":\"report\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3,\"category\":\"rude\"}",
                ErrorCode.INVALID_FIELD,
                "field 'category' must be one of harassment, self_harm, spam, misinformation, other",
                "r1");
        assertFails(
                "{\"type\":\"report\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3,\"category\":\"Spam\"}",
                ErrorCode.INVALID_FIELD,
                "field 'category' must be one of harassment, self_harm, spam, misinformation, other",
                "r1");
    }

    @Test
    void everyReportCategoryIsAccepted() throws DecodeException {
        for (String category : new String[] {"harassment", "self_harm", "spam", "misinformation", "other"}) {
            assertThat(codec.decodeClient(
                            "{\"type\":\"report\",\"room\":\"a\",\"seq\":3,\"category\":\"" + category + "\"}"))
                    .isEqualTo(new ClientMessage.Report(null, "a", 3L, category, null));
        }
    }

    @Test
    void reportWithoutSeqOrCategoryIsMissingField() {
        assertFails(
                "{\"type\":\"report\",\"ref\":\"r1\",\"room\":\"a\",\"category\":\"spam\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'seq'",
                "r1");
        assertFails(
                "{\"type\":\"report\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3}",
                ErrorCode.MISSING_FIELD,
                "missing field 'category'",
                "r1");
        assertFails(
                "{\"type\":\"report\",\"ref\":\"r1\",\"seq\":3,\"category\":\"spam\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'room'",
                "r1");
    }

    @Test
    void reportSeqBelowOneIsInvalidField() {
        assertFails(
                "{\"type\":\"report\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":0,\"category\":\"spam\"}",
                ErrorCode.INVALID_FIELD,
                "field 'seq' must be >= 1",
                "r1");
        assertFails(
                "{\"type\":\"report\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":\"3\",\"category\":\"spam\"}",
                ErrorCode.INVALID_FIELD,
                "field 'seq' has the wrong type",
                "r1");
    }

    @Test
    void reportCommentLongerThan500CharactersIsInvalidField() {
        assertFails(
                "{\"type\":\"report\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3,\"category\":\"spam\"," + "\"comment\":\""
                        + "c".repeat(501) + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'comment' is longer than 500 characters",
                "r1");
    }

    @Test
    void auditLogLimitOutsideOneTo1000IsInvalidField() {
        assertFails(
                "{\"type\":\"audit_log\",\"ref\":\"r1\",\"limit\":0}",
                ErrorCode.INVALID_FIELD,
                "field 'limit' must be 1 to 1000",
                "r1");
        assertFails(
                "{\"type\":\"audit_log\",\"ref\":\"r1\",\"limit\":1001}",
                ErrorCode.INVALID_FIELD,
                "field 'limit' must be 1 to 1000",
                "r1");
    }

    @Test
    void auditLogLimitBoundsAndDefaultAreAccepted() throws DecodeException {
        assertThat(codec.decodeClient("{\"type\":\"audit_log\",\"limit\":1}"))
                .isEqualTo(new ClientMessage.ReadAudit(null, 1));
        assertThat(codec.decodeClient("{\"type\":\"audit_log\",\"limit\":1000}"))
                .isEqualTo(new ClientMessage.ReadAudit(null, 1000));
        assertThat(codec.decodeClient("{\"type\":\"audit_log\"}")).isEqualTo(new ClientMessage.ReadAudit(null, null));
    }

    @Test
    void resolveReportWithoutResolutionIsMissingField() {
        assertFails(
                "{\"type\":\"resolve_report\",\"ref\":\"r1\",\"reportId\":\"rp-1\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'resolution'",
                "r1");
        assertFails(
                "{\"type\":\"resolve_report\",\"ref\":\"r1\",\"reportId\":\"rp-1\",\"resolution\":\" \"}",
                ErrorCode.INVALID_FIELD,
                "field 'resolution' must not be blank",
                "r1");
    }

    @Test
    void safetyCommandsWithoutTheirIdAreMissingField() {
        assertFails(
                "{\"type\":\"ack_alert\",\"ref\":\"r1\"}", ErrorCode.MISSING_FIELD, "missing field 'alertId'", "r1");
        assertFails(
                "{\"type\":\"resolve_report\",\"ref\":\"r1\",\"resolution\":\"done\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'reportId'",
                "r1");
    }

    private static final String KINDS = "field 'kind' must be one of warn, timeout, restrict, room_ban, service_ban";
    private static final String TIMEOUT_RANGE = "field 'durationSeconds' must be 60 to 604800 for a timeout";

    @Test
    void sanctionWithAnUnknownKindIsInvalidFieldListingTheKinds() {
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"mute\",\"reason\":\"why\"}",
                ErrorCode.INVALID_FIELD,
                KINDS,
                "r1");
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"Warn\",\"reason\":\"why\"}",
                ErrorCode.INVALID_FIELD,
                KINDS,
                "r1");
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"ban\",\"reason\":\"why\"}",
                ErrorCode.INVALID_FIELD,
                KINDS,
                "r1");
    }

    @Test
    void everySanctionKindIsAccepted() throws DecodeException {
        for (String kind : new String[] {"warn", "restrict", "service_ban"}) {
            assertThat(codec.decodeClient(
                            "{\"type\":\"sanction\",\"userId\":\"u-1\",\"kind\":\"" + kind + "\",\"reason\":\"why\"}"))
                    .isEqualTo(new ClientMessage.Sanction(null, "u-1", kind, null, "why", null));
        }
        assertThat(codec.decodeClient("{\"type\":\"sanction\",\"userId\":\"u-1\",\"kind\":\"timeout\","
                        + "\"reason\":\"why\",\"durationSeconds\":600}"))
                .isEqualTo(new ClientMessage.Sanction(null, "u-1", "timeout", null, "why", 600L));
        assertThat(codec.decodeClient("{\"type\":\"sanction\",\"userId\":\"u-1\",\"kind\":\"room_ban\","
                        + "\"room\":\"a\",\"reason\":\"why\"}"))
                .isEqualTo(new ClientMessage.Sanction(null, "u-1", "room_ban", "a", "why", null));
        assertThat(ClientMessage.SANCTION_KINDS)
                .containsExactlyInAnyOrder("warn", "timeout", "restrict", "room_ban", "service_ban");
    }

    @Test
    void timeoutWithoutDurationIsMissingField() {
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"timeout\",\"reason\":\"why\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'durationSeconds'",
                "r1");
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"timeout\",\"reason\":\"why\","
                        + "\"durationSeconds\":null}",
                ErrorCode.MISSING_FIELD,
                "missing field 'durationSeconds'",
                "r1");
    }

    @Test
    void timeoutOutsideOneMinuteToOneWeekIsInvalidField() {
        for (long seconds : new long[] {59, 604801, 0, -60}) {
            assertFails(
                    "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"timeout\","
                            + "\"reason\":\"why\",\"durationSeconds\":" + seconds + "}",
                    ErrorCode.INVALID_FIELD,
                    TIMEOUT_RANGE,
                    "r1");
        }
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"timeout\","
                        + "\"reason\":\"why\",\"durationSeconds\":\"600\"}",
                ErrorCode.INVALID_FIELD,
                "field 'durationSeconds' has the wrong type",
                "r1");
    }

    @Test
    void timeoutBoundsAreAccepted() throws DecodeException {
        for (long seconds : new long[] {60, 604800}) {
            assertThat(codec.decodeClient("{\"type\":\"sanction\",\"userId\":\"u-1\",\"kind\":\"timeout\","
                            + "\"reason\":\"why\",\"durationSeconds\":" + seconds + "}"))
                    .isEqualTo(new ClientMessage.Sanction(null, "u-1", "timeout", null, "why", seconds));
        }
    }

    @Test
    void durationBelowOneSecondIsInvalidFieldForTheOtherKinds() {
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"service_ban\","
                        + "\"reason\":\"why\",\"durationSeconds\":0}",
                ErrorCode.INVALID_FIELD,
                "field 'durationSeconds' must be >= 1",
                "r1");
    }

    @Test
    void roomBanWithoutRoomIsMissingField() {
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"room_ban\",\"reason\":\"why\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'room'",
                "r1");
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"room_ban\",\"room\":\" \","
                        + "\"reason\":\"why\"}",
                ErrorCode.INVALID_FIELD,
                "field 'room' must not be blank",
                "r1");
    }

    @Test
    void sanctionWithoutReasonUserOrKindIsMissingField() {
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"warn\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'reason'",
                "r1");
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"warn\",\"reason\":\"\"}",
                ErrorCode.INVALID_FIELD,
                "field 'reason' must not be blank",
                "r1");
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"kind\":\"warn\",\"reason\":\"why\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'userId'",
                "r1");
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"reason\":\"why\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'kind'",
                "r1");
    }

    @Test
    void sanctionReasonLongerThan500CharactersIsInvalidField() {
        assertFails(
                "{\"type\":\"sanction\",\"ref\":\"r1\",\"userId\":\"u-1\",\"kind\":\"warn\",\"reason\":\""
                        + "x".repeat(501) + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'reason' is longer than 500 characters",
                "r1");
    }

    @Test
    void liftSanctionWithoutSanctionIdIsMissingFieldAndItsReasonIsOptional() throws DecodeException {
        assertFails(
                "{\"type\":\"lift_sanction\",\"ref\":\"r1\",\"reason\":\"why\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'sanctionId'",
                "r1");
        assertThat(codec.decodeClient("{\"type\":\"lift_sanction\",\"sanctionId\":\"sn-1\"}"))
                .isEqualTo(new ClientMessage.LiftSanction(null, "sn-1", null));
    }

    @Test
    void deleteMessageWithoutReasonRoomOrSeqIsMissingField() {
        assertFails(
                "{\"type\":\"delete_message\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3}",
                ErrorCode.MISSING_FIELD,
                "missing field 'reason'",
                "r1");
        assertFails(
                "{\"type\":\"delete_message\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3,\"reason\":null}",
                ErrorCode.MISSING_FIELD,
                "missing field 'reason'",
                "r1");
        assertFails(
                "{\"type\":\"delete_message\",\"ref\":\"r1\",\"room\":\"a\",\"reason\":\"why\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'seq'",
                "r1");
        assertFails(
                "{\"type\":\"delete_message\",\"ref\":\"r1\",\"seq\":3,\"reason\":\"why\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'room'",
                "r1");
    }

    @Test
    void deleteMessageSeqBelowOneIsInvalidField() {
        assertFails(
                "{\"type\":\"delete_message\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":0,\"reason\":\"why\"}",
                ErrorCode.INVALID_FIELD,
                "field 'seq' must be >= 1",
                "r1");
        assertFails(
                "{\"type\":\"delete_message\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":\"3\",\"reason\":\"why\"}",
                ErrorCode.INVALID_FIELD,
                "field 'seq' has the wrong type",
                "r1");
    }

    @Test
    void editMessageWithoutTextOrSeqIsMissingFieldAndABlankTextOrSeqBelowOneIsInvalid() {
        assertFails(
                "{\"type\":\"edit_message\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3}",
                ErrorCode.MISSING_FIELD,
                "missing field 'text'",
                "r1");
        assertFails(
                "{\"type\":\"edit_message\",\"ref\":\"r1\",\"room\":\"a\",\"text\":\"hi\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'seq'",
                "r1");
        assertFails(
                "{\"type\":\"edit_message\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3,\"text\":\" \"}",
                ErrorCode.INVALID_FIELD,
                "field 'text' must not be blank",
                "r1");
        assertFails(
                "{\"type\":\"edit_message\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":0,\"text\":\"hi\"}",
                ErrorCode.INVALID_FIELD,
                "field 'seq' must be >= 1",
                "r1");
    }

    @Test
    void deleteMessageReasonMustNotBeBlankNorLongerThan500Characters() {
        assertFails(
                "{\"type\":\"delete_message\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3,\"reason\":\" \"}",
                ErrorCode.INVALID_FIELD,
                "field 'reason' must not be blank",
                "r1");
        assertFails(
                "{\"type\":\"delete_message\",\"ref\":\"r1\",\"room\":\"a\",\"seq\":3,\"reason\":\"" + "x".repeat(501)
                        + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'reason' is longer than 500 characters",
                "r1");
    }

    @Test
    void blockAndUnblockWithoutUserIdAreMissingField() {
        assertFails(
                "{\"type\":\"block\",\"ref\":\"r1\",\"comment\":\"why\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'userId'",
                "r1");
        assertFails("{\"type\":\"unblock\",\"ref\":\"r1\"}", ErrorCode.MISSING_FIELD, "missing field 'userId'", "r1");
        assertFails(
                "{\"type\":\"block\",\"ref\":\"r1\",\"userId\":\"\"}",
                ErrorCode.INVALID_FIELD,
                "field 'userId' must not be blank",
                "r1");
    }

    @Test
    void blockCommentIsOptionalAndAtMost500Characters() throws DecodeException {
        assertThat(codec.decodeClient("{\"type\":\"block\",\"userId\":\"u-1\"}"))
                .isEqualTo(new ClientMessage.Block(null, "u-1", null));
        assertFails(
                "{\"type\":\"block\",\"ref\":\"r1\",\"userId\":\"u-1\",\"comment\":\"" + "c".repeat(501) + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'comment' is longer than 500 characters",
                "r1");
    }

    @Test
    void reviewHeldWithoutApproveOrHeldIdIsMissingField() {
        assertFails(
                "{\"type\":\"review_held\",\"ref\":\"r1\",\"heldId\":\"h-1\"}",
                ErrorCode.MISSING_FIELD,
                "missing field 'approve'",
                "r1");
        assertFails(
                "{\"type\":\"review_held\",\"ref\":\"r1\",\"heldId\":\"h-1\",\"approve\":null}",
                ErrorCode.MISSING_FIELD,
                "missing field 'approve'",
                "r1");
        assertFails(
                "{\"type\":\"review_held\",\"ref\":\"r1\",\"approve\":true}",
                ErrorCode.MISSING_FIELD,
                "missing field 'heldId'",
                "r1");
        assertFails(
                "{\"type\":\"review_held\",\"ref\":\"r1\",\"heldId\":\" \",\"approve\":true}",
                ErrorCode.INVALID_FIELD,
                "field 'heldId' must not be blank",
                "r1");
    }

    @Test
    void reviewHeldApproveMustBeABooleanAndNoteAtMost500Characters() throws DecodeException {
        assertFails(
                "{\"type\":\"review_held\",\"ref\":\"r1\",\"heldId\":\"h-1\",\"approve\":\"yes\"}",
                ErrorCode.INVALID_FIELD,
                "field 'approve' has the wrong type",
                "r1");
        assertFails(
                "{\"type\":\"review_held\",\"ref\":\"r1\",\"heldId\":\"h-1\",\"approve\":false,\"note\":\""
                        + "n".repeat(501) + "\"}",
                ErrorCode.INVALID_FIELD,
                "field 'note' is longer than 500 characters",
                "r1");
        assertThat(codec.decodeClient("{\"type\":\"review_held\",\"heldId\":\"h-1\",\"approve\":false}"))
                .isEqualTo(new ClientMessage.ReviewHeld(null, "h-1", false, null));
    }
}
