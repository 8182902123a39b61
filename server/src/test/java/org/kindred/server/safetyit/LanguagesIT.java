package org.kindred.server.safetyit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.CrisisResource;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * The server speaks the member's language ({@code hello.language}): errors and crisis support in French for a member
 * who reads French, crisis lines of its region, English for a member who named no language. Over real sockets.
 */
class LanguagesIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawClient reading(String pseudonym, String language) throws Exception {
        return RawClient.signedInReading(node.ws(), node.token(pseudonym, Role.MEMBER), language);
    }

    private static void join(RawClient client, String room) {
        client.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"" + room + "\"}");
        client.await(ServerMessage.Joined.class, j -> true);
    }

    private static void send(RawClient client, String room, String ref, String text) {
        client.send("{\"type\":\"send\",\"ref\":\"" + ref + "\",\"room\":\"" + room + "\",\"clientMsgId\":\"" + ref
                + "\",\"text\":\"" + text + "\"}");
    }

    @Test
    void aMemberWhoReadsFrenchGetsFrenchErrorTextAndFrenchCrisisSupport() throws Exception {
        try (RawClient member = reading("Camille", "fr")) {
            member.send("{\"type\":\"join\",\"ref\":\"nope\",\"room\":\"no-such-room\"}");
            ServerMessage.Error error = member.awaitError("nope");
            assertThat(error.code()).isEqualTo("room_not_found");
            assertThat(error.message()).isEqualTo("Ce salon n'existe pas. (no room 'no-such-room')");

            join(member, "depression");
            send(member, "depression", "m1", "I want to kill myself");
            ServerMessage.CrisisSupport help = member.await(ServerMessage.CrisisSupport.class, s -> true);
            assertThat(help.message()).startsWith("Contactez dès maintenant l'un de ces numéros");
            assertThat(help.resources()).extracting(CrisisResource::contact).contains("3114");
        }
    }

    @Test
    void aFrenchCanadianMemberGetsCanadasLinesNotFrancesNumber() throws Exception {
        try (RawClient member = reading("Gabrielle", "fr-CA")) {
            join(member, "depression");
            send(member, "depression", "m1", "je veux mourir");

            ServerMessage.CrisisSupport help = member.await(ServerMessage.CrisisSupport.class, s -> true);
            assertThat(help.message()).startsWith("Contactez dès maintenant");
            assertThat(help.resources())
                    .extracting(CrisisResource::contact)
                    .contains("appel ou texto au 988")
                    .doesNotContain("3114");
        }
    }

    @Test
    void aMemberWhoNamedNoLanguageReadsEnglishErrorsAndCrisisSupportInTheLanguageItWroteIn() throws Exception {
        try (RawClient member = RawClient.signedIn(node.ws(), node.token("Robin"))) {
            member.send("{\"type\":\"join\",\"ref\":\"nope\",\"room\":\"no-such-room\"}");
            assertThat(member.awaitError("nope").message()).isEqualTo("no room 'no-such-room'");

            join(member, "depression");
            send(member, "depression", "m1", "je veux mourir");
            assertThat(member.await(ServerMessage.CrisisSupport.class, s -> true)
                            .message())
                    .startsWith("Contactez dès maintenant");
        }
    }

    @Test
    void aHelloLanguageThatIsNotATagIsRefusedWithAPreciseErrorAndNoSignIn() throws Exception {
        try (RawClient client = RawClient.connect(node.ws())) {
            client.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + node.token("Robin")
                    + "\",\"language\":\"french\"}");

            ServerMessage.Error error = client.awaitError("h");
            assertThat(error.code()).isEqualTo("invalid_field");
            assertThat(error.message()).isEqualTo("field 'language' must be a BCP 47 language tag such as fr or fr-CA");
            assertThat(client.received(ServerMessage.Welcome.class)).isEmpty();
        }
    }

    @Test
    void theHellosOwnErrorsAreAlreadyInItsLanguage() throws Exception {
        try (RawClient client = RawClient.connect(node.ws())) {
            client.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"not-a-jwt\",\"language\":\"de\"}");

            ServerMessage.Error error = client.awaitError("h");
            assertThat(error.code()).isEqualTo("token_invalid");
            assertThat(error.message()).startsWith("Die Anmeldung ist fehlgeschlagen: Das Token ist ungültig. (");
        }
    }
}
