package org.kindred.server.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.client.KindredClient;
import org.kindred.client.KindredException;
import org.kindred.client.RoomSettings;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ManagedRoom;
import org.kindred.protocol.RoomAudienceInfo;
import org.kindred.protocol.RoomInfo;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.TestNode;

/** The Java SDK's room methods against a real node: a moderator makes, edits, archives and restores a room. */
class RoomSdkIT {

    private TestNode node;
    private final List<KindredClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(KindredClient::close);
        node.close();
    }

    private KindredClient client(String pseudonym, Role role) throws Exception {
        KindredClient client = KindredClient.builder()
                .url(URI.create(node.ws()))
                .token(node.token(pseudonym, role))
                .build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static List<String> listed(KindredClient client) throws Exception {
        return client.listRooms().get(10, TimeUnit.SECONDS).stream()
                .map(RoomInfo::id)
                .toList();
    }

    @Test
    void aModeratorMakesEditsArchivesAndRestoresARoomThroughTheSdk() throws Exception {
        KindredClient moderator = client("Jo", Role.MODERATOR);
        KindredClient mentor = client("Mia", Role.MENTOR);
        KindredClient member = client("Max", Role.MEMBER);

        ManagedRoom made = moderator
                .createRoom(
                        "mentors-corner",
                        RoomSettings.titled("Mentors' corner")
                                .withTags(List.of("staff"))
                                .withRules(List.of())
                                .withAudience(new RoomAudienceInfo(List.of("mentor"), Map.of())))
                .get(10, TimeUnit.SECONDS);
        assertThat(made.rules()).isEmpty();
        assertThat(made.audience().roles()).containsExactly("mentor");
        assertThat(listed(mentor)).contains("mentors-corner");
        assertThat(listed(member)).as("outside the audience").doesNotContain("mentors-corner");

        ManagedRoom edited = moderator
                .editRoom("mentors-corner", RoomSettings.changes().withCountOnlyPresence(true))
                .get(10, TimeUnit.SECONDS);
        assertThat(edited.presence()).isEqualTo("count");
        assertThat(edited.title()).isEqualTo("Mentors' corner");

        assertThat(moderator
                        .archiveRoom("mentors-corner")
                        .get(10, TimeUnit.SECONDS)
                        .archived())
                .isTrue();
        assertThat(listed(mentor)).doesNotContain("mentors-corner");
        assertThat(moderator.listManagedRooms().get(10, TimeUnit.SECONDS))
                .extracting(ManagedRoom::id, ManagedRoom::archived)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("mentors-corner", true));
        assertThat(moderator
                        .restoreRoom("mentors-corner")
                        .get(10, TimeUnit.SECONDS)
                        .archived())
                .isFalse();
        assertThat(listed(mentor)).contains("mentors-corner");
    }

    @Test
    void refusalsFailWithTheServersCodeAndBadArgumentsThrowOnTheCallingThread() throws Exception {
        KindredClient member = client("Max", Role.MEMBER);
        assertThatThrownBy(() ->
                        member.createRoom("mine", RoomSettings.titled("Mine")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.FORBIDDEN));
        KindredClient moderator = client("Jo", Role.MODERATOR);
        assertThatThrownBy(() -> moderator
                        .createRoom("diabetes", RoomSettings.titled("Again"))
                        .get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.ROOM_EXISTS));
        assertThatThrownBy(() -> moderator.createRoom("untitled", RoomSettings.changes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing field 'title'");
    }
}
