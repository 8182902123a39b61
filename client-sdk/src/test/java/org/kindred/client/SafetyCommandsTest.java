package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The safety commands without a server: argument checks on the calling thread, and failing when not connected. */
class SafetyCommandsTest {

    private static final URI URL = URI.create("ws://127.0.0.1:1/ws");

    @Test
    void rejectsAnUnknownReportCategoryNamingTheKnownOnes() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.report("room", 3, "abuse", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'category' must be one of harassment, misinformation, other, self_harm, spam");
            assertThatThrownBy(() -> client.report("room", 3, "Spam", null))
                    .hasMessageStartingWith("field 'category' must be one of ");
            assertThatThrownBy(() -> client.report("room", 3, null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("missing field 'category'");
            assertThatThrownBy(() -> client.report("room", 3, " ", null))
                    .hasMessage("field 'category' must not be blank");
        }
    }

    @Test
    void rejectsOtherInvalidReports() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.report("room", 0, "spam", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'seq' must be >= 1");
            assertThatThrownBy(() -> client.report("room", -1, "spam", null)).hasMessage("field 'seq' must be >= 1");
            assertThatThrownBy(() -> client.report(" ", 1, "spam", null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.report("room", 1, "other", "x".repeat(501)))
                    .hasMessage("field 'comment' is longer than 500 characters");
        }
    }

    @Test
    void rejectsInvalidModeratorCommands() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.ackAlert(" "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'alertId' must not be blank");
            assertThatThrownBy(() -> client.ackAlert(null)).hasMessage("missing field 'alertId'");
            assertThatThrownBy(() -> client.resolveReport("", "warned"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'reportId' must not be blank");
            assertThatThrownBy(() -> client.resolveReport("rep-1", null)).hasMessage("missing field 'resolution'");
            assertThatThrownBy(() -> client.resolveReport("rep-1", "x".repeat(501)))
                    .hasMessage("field 'resolution' is longer than 500 characters");
            assertThatThrownBy(() -> client.auditLog(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'limit' must be 1 to 1000");
            assertThatThrownBy(() -> client.auditLog(1001)).hasMessage("field 'limit' must be 1 to 1000");
        }
    }

    @Test
    void failsSafetyCommandsBeforeConnect() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.report("room", 1, "spam", null).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
            assertThatThrownBy(() -> client.listReports().get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
            assertThatThrownBy(() -> client.auditLog(null).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
        }
    }

    @Test
    void rejectsInvalidSanctions() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.sanction("u1", "mute", null, "why", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'kind' must be one of warn, timeout, restrict, room_ban, service_ban");
            assertThatThrownBy(() -> client.sanction("u1", null, null, "why", null))
                    .hasMessage("missing field 'kind'");
            assertThatThrownBy(() -> client.sanction(" ", "warn", null, "why", null))
                    .hasMessage("field 'userId' must not be blank");
            assertThatThrownBy(() -> client.sanction("u1", "warn", null, null, null))
                    .hasMessage("missing field 'reason'");
            assertThatThrownBy(() -> client.sanction("u1", "warn", null, "x".repeat(501), null))
                    .hasMessage("field 'reason' is longer than 500 characters");
            assertThatThrownBy(() -> client.sanction("u1", "timeout", null, "why", null))
                    .hasMessage("missing field 'durationSeconds'");
            assertThatThrownBy(() -> client.sanction("u1", "timeout", null, "why", 59L))
                    .hasMessage("field 'durationSeconds' must be 60 to 604800 for a timeout");
            assertThatThrownBy(() -> client.sanction("u1", "timeout", null, "why", 604801L))
                    .hasMessage("field 'durationSeconds' must be 60 to 604800 for a timeout");
            assertThatThrownBy(() -> client.sanction("u1", "restrict", null, "why", 0L))
                    .hasMessage("field 'durationSeconds' must be >= 1");
            assertThatThrownBy(() -> client.sanction("u1", "room_ban", null, "why", null))
                    .hasMessage("missing field 'room'");
            assertThatThrownBy(() -> client.liftSanction(" ", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'sanctionId' must not be blank");
            assertThatThrownBy(() -> client.liftSanction("sn-1", "x".repeat(501)))
                    .hasMessage("field 'reason' is longer than 500 characters");
        }
    }

    @Test
    void failsSanctionsBeforeConnect() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() ->
                            client.sanction("u1", "timeout", null, "why", 600L).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
            assertThatThrownBy(() -> client.liftSanction("sn-1", null).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
        }
    }

    @Test
    void rejectsInvalidDeletions() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.deleteMessage("room", 0, "why"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'seq' must be >= 1");
            assertThatThrownBy(() -> client.deleteMessage("room", 3, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("missing field 'reason'");
            assertThatThrownBy(() -> client.deleteMessage("room", 3, " "))
                    .hasMessage("field 'reason' must not be blank");
            assertThatThrownBy(() -> client.deleteMessage("room", 3, "x".repeat(501)))
                    .hasMessage("field 'reason' is longer than 500 characters");
            assertThatThrownBy(() -> client.deleteMessage(" ", 3, "why")).hasMessage("field 'room' must not be blank");
            assertThatThrownBy(() -> client.deleteMessage(null, 3, "why")).hasMessage("missing field 'room'");
        }
    }

    @Test
    void rejectsInvalidBlocks() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.block(null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("missing field 'userId'");
            assertThatThrownBy(() -> client.block(" ", "why")).hasMessage("field 'userId' must not be blank");
            assertThatThrownBy(() -> client.block("u2", "x".repeat(501)))
                    .hasMessage("field 'comment' is longer than 500 characters");
            assertThatThrownBy(() -> client.unblock(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("missing field 'userId'");
            assertThatThrownBy(() -> client.unblock("")).hasMessage("field 'userId' must not be blank");
        }
    }

    @Test
    void rejectsInvalidReviews() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.reviewHeld(null, true, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("missing field 'heldId'");
            assertThatThrownBy(() -> client.reviewHeld(" ", false, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'heldId' must not be blank");
            assertThatThrownBy(() -> client.reviewHeld("h-1", false, "x".repeat(501)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'note' is longer than 500 characters");
        }
    }

    @Test
    void failsReviewsBeforeConnect() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.reviewHeld("h-1", true, null).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
            assertThatThrownBy(() ->
                            client.reviewHeld("h-1", false, "x".repeat(500)).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
        }
    }

    @Test
    void failsDeletionsAndBlocksBeforeConnect() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.deleteMessage("room", 3, "why").get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
            assertThatThrownBy(() -> client.block("u2", null).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
            assertThatThrownBy(() -> client.unblock("u2").get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
        }
    }
}
