package org.kindred.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web app's settings: on by default, turned off by the operator, an identity provider's page checked. */
class WebConfigTest {

    @TempDir
    Path dir;

    @Test
    void theEmbeddedDefaultServesTheAppWithoutAnIdentityProvider() {
        assertThat(KindredConfig.defaults().web()).isEqualTo(new WebConfig(true, Optional.empty()));
        assertThat(KindredConfig.defaults().toString()).contains("web=[enabled=true, signInUrl=<none>]");
    }

    @Test
    void anOperatorTurnsTheAppOffInTheFileOrTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("kindred.yaml"), "web:\n  enabled: false\n");

        assertThat(ConfigLoader.load(file, Map.of()).web().enabled()).isFalse();
        assertThat(ConfigLoader.load(null, Map.of("KINDRED_WEB_ENABLED", "false"))
                        .web()
                        .enabled())
                .isFalse();
    }

    @Test
    void theSignInPageKeepsItsReturnPlaceholder() {
        KindredConfig config = ConfigLoader.load(
                null,
                Map.of(
                        "KINDRED_JWT_SECRET",
                        "0123456789abcdef0123456789abcdef",
                        "KINDRED_WEB_SIGN_IN_URL",
                        "https://id.example.org/sign-in?return={returnTo}",
                        "KINDRED_JWT_ANY_ISSUER_AND_AUDIENCE",
                        "true"));

        assertThat(config.web().signInUrl()).hasValue("https://id.example.org/sign-in?return={returnTo}");
    }

    @Test
    void aSignInPageThatIsNotAnAbsoluteWebAddressStopsTheNode() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_WEB_SIGN_IN_URL", "/sign-in")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("web.signInUrl: '/sign-in' (expected: an absolute http(s) URL, e.g."
                        + " https://id.example.org/sign-in); set by KINDRED_WEB_SIGN_IN_URL");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KINDRED_WEB_ENABLED", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("KINDRED_WEB_ENABLED: 'yes' is not true or false");
    }
}
