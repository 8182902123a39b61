package org.kindred.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void wireNamesRoundTrip() {
        for (Role role : Role.values()) {
            assertThat(Role.fromWire(role.wire())).contains(role);
        }
        assertThat(Role.wireNames()).containsExactly("member", "mentor", "facilitator", "moderator");
    }

    @Test
    void wireNamesAreExact() {
        assertThat(Role.fromWire("Moderator")).isEmpty();
        assertThat(Role.fromWire("admin")).isEmpty();
        assertThat(Role.fromWire(null)).isEmpty();
    }

    @Test
    void declarationOrderIsRank() {
        assertThat(Role.MODERATOR).isGreaterThan(Role.FACILITATOR);
        assertThat(Role.FACILITATOR).isGreaterThan(Role.MENTOR);
        assertThat(Role.MENTOR).isGreaterThan(Role.MEMBER);
    }
}
