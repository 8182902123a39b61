package org.kindred.server.auth;

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
}
