package org.kindred.server.auth;

import org.kindred.server.identity.Identity;
import org.kindred.server.identity.OpaqueUserIds;

/**
 * Signs in with another verifier and replaces the token's {@code sub} by the deployment's opaque id of it, so that the
 * raw {@code sub} never goes past sign-in: presence, authors, sessions, meetings, reports, blocks, sanctions, the audit
 * log and the server API all know a user by its opaque id ({@code docs/safety.md}, "Who members see").
 */
public final class PseudonymousSignIn implements TokenVerifier {

    private final TokenVerifier verifier;
    private final OpaqueUserIds ids;

    public PseudonymousSignIn(TokenVerifier verifier, OpaqueUserIds ids) {
        this.verifier = java.util.Objects.requireNonNull(verifier, "verifier");
        this.ids = java.util.Objects.requireNonNull(ids, "ids");
    }

    @Override
    public Identity verify(String token) {
        return ids.pseudonymise(verifier.verify(token));
    }

    @Override
    public SignedIn signIn(String token) {
        SignedIn signedIn = verifier.signIn(token);
        return new SignedIn(ids.pseudonymise(signedIn.identity()), signedIn.validUntil());
    }
}
