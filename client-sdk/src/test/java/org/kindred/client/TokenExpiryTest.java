package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The client reads a token's {@code exp} (without verifying it) to refresh the token before the server closes 4101. */
class TokenExpiryTest {

    private static String jwt(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void theExpiryOfAJwtIsReadInMilliseconds() {
        assertThat(KindredClient.tokenExpiry(jwt("{\"sub\":\"u\",\"exp\": 1767234000}")))
                .isEqualTo(1767234000000L);
    }

    @Test
    void aTokenWithoutExpiryOrThatIsNoJwtIsNeverRefreshed() {
        assertThat(KindredClient.tokenExpiry(jwt("{\"sub\":\"u\"}"))).isZero();
        assertThat(KindredClient.tokenExpiry("not a token")).isZero();
        assertThat(KindredClient.tokenExpiry(null)).isZero();
    }
}
