package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;

/** The support commands without a server: argument checks, and what the client remembers of the availability. */
class SupportCommandsTest {

    private static final URI URL = URI.create("ws://127.0.0.1:1/ws");
    private static final List<String> DIABETES = List.of("diabetes");
    private static final List<String> EN = List.of("en");

    private final FakeChannel channel = new FakeChannel();
    private final AtomicLong refs = new AtomicLong();
    private final SupportCommands support = new SupportCommands(() -> "r" + refs.incrementAndGet(), channel);

    // ---------------------------------------------------------------------------------------------------------------
    // Argument checks, on the calling thread

    @Test
    void rejectsAnAvailabilityWithoutConditionsLanguagesOrPlaces() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.setAvailability(true, List.of(), EN, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'conditions' must name at least one condition");
            assertThatThrownBy(() -> client.setAvailability(true, DIABETES, null, null))
                    .hasMessage("field 'languages' must name at least one language");
            assertThatThrownBy(() -> client.setAvailability(true, DIABETES, EN, 0))
                    .hasMessage("field 'capacity' must be >= 1");
            assertThatThrownBy(() -> client.setAvailability(true, Arrays.asList("diabetes", null), EN, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'conditions' must not contain null or blank entries");
            assertThatThrownBy(() -> client.setAvailability(true, DIABETES, List.of(" "), null))
                    .hasMessage("field 'languages' must not contain null or blank entries");
        }
    }

    @Test
    void acceptsGoingAwayWithoutConditionsOrLanguages() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() ->
                            client.setAvailability(false, null, null, null).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
        }
    }

    @Test
    void rejectsInvalidSupportRequests() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.requestSupport(" ", "en", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'condition' must not be blank");
            assertThatThrownBy(() -> client.requestSupport("diabetes", null, null))
                    .hasMessage("missing field 'language'");
            assertThatThrownBy(() -> client.requestSupport("diabetes", "en", "x".repeat(501)))
                    .hasMessage("field 'note' is longer than 500 characters");
            assertThatThrownBy(() -> client.cancelSupport("")).hasMessage("field 'requestId' must not be blank");
            assertThatThrownBy(() -> client.acceptOffer(null)).hasMessage("missing field 'requestId'");
            assertThatThrownBy(() -> client.declineOffer(" ")).hasMessage("field 'requestId' must not be blank");
        }
    }

    @Test
    void rejectsInvalidSessionCommands() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.endSession(" "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'sessionId' must not be blank");
            assertThatThrownBy(() -> client.rateSession("s1", 0, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'rating' must be 1 to 5");
            assertThatThrownBy(() -> client.rateSession("s1", 6, "great")).hasMessage("field 'rating' must be 1 to 5");
            assertThatThrownBy(() -> client.rateSession("s1", 5, "x".repeat(501)))
                    .hasMessage("field 'comment' is longer than 500 characters");
            assertThatThrownBy(() -> client.mentorNote("s1", " ")).hasMessage("field 'note' must not be blank");
            assertThatThrownBy(() -> client.proposeHandoff("s1", " ", null))
                    .hasMessage("field 'toMentorId' must not be blank (null means any mentor)");
            assertThatThrownBy(() -> client.proposeHandoff("s1", null, "x".repeat(501)))
                    .hasMessage("field 'reason' is longer than 500 characters");
            assertThatThrownBy(() -> client.answerHandoff(null, true)).hasMessage("missing field 'sessionId'");
            assertThatThrownBy(() -> client.deleteTranscript("")).hasMessage("field 'sessionId' must not be blank");
        }
    }

    @Test
    void failsSupportCommandsBeforeConnect() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(
                            () -> client.requestSupport("diabetes", "en", null).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
            assertThatThrownBy(() -> client.rateSession("s1", 4, null).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Availability memory

    @Test
    void remembersTheAvailabilityThatWentOutWithTheAppsArguments() {
        support.setAvailability(true, DIABETES, EN, null);

        assertThat(support.availabilityToRestore("r9"))
                .contains(new ClientMessage.SetAvailability("r9", true, DIABETES, EN, null));
    }

    @Test
    void remembersOnlyTheLatestAvailability() {
        support.setAvailability(true, DIABETES, EN, 1);
        support.setAvailability(true, List.of("asthma"), List.of("de"), 3);

        assertThat(support.availabilityToRestore("r9"))
                .contains(new ClientMessage.SetAvailability("r9", true, List.of("asthma"), List.of("de"), 3));
    }

    @Test
    void setAvailabilityFalseClearsTheMemoryEvenWhenNotConnected() {
        support.setAvailability(true, DIABETES, EN, 2);
        channel.open = false;

        CompletableFuture<ServerMessage.Availability> away = support.setAvailability(false, null, null, null);

        assertThat(away).isCompletedExceptionally();
        assertThat(support.availabilityToRestore("r9")).isEmpty();
    }

    @Test
    void doesNotRememberAnAvailabilityThatCouldNotBeSent() {
        channel.open = false;

        support.setAvailability(true, DIABETES, EN, null);

        assertThat(support.availabilityToRestore("r9")).isEmpty();
    }

    @Test
    void forgetsAnAvailabilityTheServerRefusedForGood() {
        support.setAvailability(true, DIABETES, EN, null);

        channel.last()
                .completeExceptionally(KindredException.of(
                        ServerMessage.Error.of("r1", ErrorCode.FORBIDDEN, "only a mentor may do this")));

        assertThat(support.availabilityToRestore("r9")).isEmpty();
    }

    @Test
    void keepsTheAvailabilityWhenTheReplyWasLost() {
        support.setAvailability(true, DIABETES, EN, null);

        channel.last().completeExceptionally(KindredException.connectionClosed(1006, "network", true));

        assertThat(support.availabilityToRestore("r9")).isPresent();
    }

    @Test
    void aRefusedRestoreDoesNotForgetANewerAvailability() {
        support.setAvailability(true, DIABETES, EN, null);
        ClientMessage.SetAvailability restore =
                support.availabilityToRestore("r9").orElseThrow();
        support.setAvailability(true, List.of("asthma"), EN, null);

        support.restoreRefused(restore);

        assertThat(support.availabilityToRestore("r10"))
                .map(ClientMessage.SetAvailability::conditions)
                .contains(List.of("asthma"));
        support.restoreRefused(support.availabilityToRestore("r11").orElseThrow());
        assertThat(support.availabilityToRestore("r12")).isEmpty();
    }

    @Test
    void forgetsTheAvailabilityWhenTheSessionEnds() {
        support.setAvailability(true, DIABETES, EN, null);

        support.forgetAvailability();

        assertThat(support.availabilityToRestore("r9")).isEmpty();
    }

    /** Sends when {@link #open}; keeps the reply futures for the test to complete. */
    private static final class FakeChannel implements SupportCommands.Channel {
        boolean open = true;
        final List<CompletableFuture<?>> replies = new ArrayList<>();

        @Override
        public <T extends ServerMessage> CompletableFuture<T> call(
                ClientMessage command, Class<T> replyType, Consumer<Boolean> beforeSend) {
            beforeSend.accept(open);
            if (!open) {
                return CompletableFuture.failedFuture(KindredException.notConnected());
            }
            CompletableFuture<T> reply = new CompletableFuture<>();
            replies.add(reply);
            return reply;
        }

        CompletableFuture<?> last() {
            return replies.getLast();
        }
    }
}
