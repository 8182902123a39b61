package org.kindred.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;

class RoomAudienceTest {

    private static Identity member(Map<String, String> claims) {
        return new Identity("u-1", "Robin", Set.of(Role.MEMBER), false, claims);
    }

    @Test
    void everyoneReadsARoomWithoutAnAudience() {
        assertThat(RoomAudience.EVERYONE.admits(member(Map.of()))).isTrue();
    }

    @Test
    void aTokenWithoutTheClaimIsOutsideAndOneWithAListedValueIsIn() {
        RoomAudience adults = new RoomAudience(Set.of(), Map.of("verified_adult", Set.of("true")));

        assertThat(adults.admits(member(Map.of()))).isFalse();
        assertThat(adults.admits(member(Map.of("age_band", "13-17")))).isFalse();
        assertThat(adults.admits(member(Map.of("verified_adult", "false")))).isFalse();
        assertThat(adults.admits(member(Map.of("verified_adult", "true")))).isTrue();
    }

    @Test
    void everyClaimMustMatchButOneRoleIsEnoughAndModeratorsAreAlwaysIn() {
        RoomAudience teens = new RoomAudience(
                Set.of("mentor"), Map.of("age_band", Set.of("13-15", "16-17"), "country", Set.of("de")));

        assertThat(teens.admits(member(Map.of("age_band", "16-17")))).isFalse();
        assertThat(teens.admits(member(Map.of("age_band", "16-17", "country", "de"))))
                .isTrue();
        assertThat(teens.admits(new Identity("u-2", "Mia", Set.of(Role.MENTOR))))
                .isTrue();
        assertThat(teens.admits(new Identity("u-3", "Mo", Set.of(Role.MODERATOR))))
                .isTrue();
    }

    @Test
    void anUnknownRoleOrAReservedClaimIsRefusedWithItsName() {
        assertThatThrownBy(() -> new RoomAudience(Set.of("king"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'king' is not a role");
        assertThatThrownBy(() -> new RoomAudience(Set.of(), Map.of("roles", Set.of("member"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'roles'");
    }
}
