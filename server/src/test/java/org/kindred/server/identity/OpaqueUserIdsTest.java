package org.kindred.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class OpaqueUserIdsTest {

    private static final byte[] KEY = "a-deployment-key-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
    private final OpaqueUserIds ids = new OpaqueUserIds(KEY);

    @Test
    void theSameSubjectAlwaysGetsTheSameIdAndTheIdIsNotTheSubject() {
        String id = ids.of("auth0|64f1c2");
        assertThat(id).isEqualTo(new OpaqueUserIds(KEY).of("auth0|64f1c2"));
        assertThat(id).doesNotContain("auth0").doesNotContain("64f1c2").matches("u[A-Za-z0-9_-]{22}");
    }

    @Test
    void theIdIsTheDocumentedHmacSoOperatorsCanDeriveItWithOpenssl() {
        // docs/safety.md, "Who members see": printf %s 'auth0|64f1c2' | openssl dgst -sha256 -mac HMAC
        //   -macopt 'key:a-deployment-key-of-at-least-32-bytes!' -binary | head -c 16 | basenc --base64url
        assertThat(ids.of("auth0|64f1c2")).isEqualTo("u09dv4z6TV710dHyOQxUBrw");
    }

    @Test
    void twoSubjectsGetTwoIds() {
        assertThat(ids.of("alice")).isNotEqualTo(ids.of("alicf"));
    }

    @Test
    void anotherDeploymentsKeyGivesUnlinkableIds() {
        OpaqueUserIds other =
                new OpaqueUserIds("another-deployment-key-32-bytes-long!!".getBytes(StandardCharsets.UTF_8));
        assertThat(other.of("alice")).isNotEqualTo(ids.of("alice"));
    }

    @Test
    void pseudonymisingKeepsPseudonymRolesTheExperiencedMarkAndTheAudienceClaims() {
        Identity raw = new Identity(
                "sub-1",
                "Robin",
                EnumSet.of(Role.MEMBER, Role.MENTOR),
                true,
                java.util.Map.of("verified_adult", "true"));
        Identity seen = ids.pseudonymise(raw);
        assertThat(seen).isEqualTo(new Identity(ids.of("sub-1"), "Robin", raw.roles(), true, raw.claims()));
    }

    @Test
    void refusesAShortKey() {
        assertThatThrownBy(() -> new OpaqueUserIds(new byte[16]))
                .hasMessage("key: 16 bytes (expected: at least 32 bytes)");
    }
}
