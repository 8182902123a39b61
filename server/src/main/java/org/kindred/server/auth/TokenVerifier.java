package org.kindred.server.auth;

import java.time.Instant;
import org.kindred.server.identity.Identity;

/** Turns an access token into the identity it vouches for. Implementations are thread-safe. */
public interface TokenVerifier {

    /**
     * @param token the token the client sent in {@code hello}; may be {@code null} or blank
     * @return the verified identity
     * @throws Refusal with {@code token_missing}, {@code token_invalid}, {@code token_expired} or
     *                       {@code unknown_role}
     */
    Identity verify(String token);

    /**
     * Verifies the token and says until when it is valid; a connection signed in with it is closed then unless it
     * refreshes its token. Verifiers that know no expiry say {@link Instant#MAX}.
     *
     * @throws Refusal as {@link #verify}
     */
    default SignedIn signIn(String token) {
        return new SignedIn(verify(token), Instant.MAX);
    }
}
