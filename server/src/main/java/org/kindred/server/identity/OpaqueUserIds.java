package org.kindred.server.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives the user id other members see from the identity provider's {@code sub}: {@code u} followed by the first 128
 * bits of HMAC-SHA256(key, sub) in unpadded base64url, e.g. {@code uQ2x7...} (23 characters). The same {@code sub}
 * gives the same id on every node that holds the same key, and nobody without the key can tell which {@code sub} an id
 * belongs to or link it to the same person on another service. Thread-safe.
 */
public final class OpaqueUserIds {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int ID_BYTES = 16;

    private final SecretKeySpec key;

    /** @param key the deployment's key ({@code userIdSecret}), at least 32 bytes */
    public OpaqueUserIds(byte[] key) {
        if (key == null || key.length < 32) {
            throw new IllegalArgumentException(
                    "key: " + (key == null ? null : key.length + " bytes") + " (expected: at least 32 bytes)");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** The opaque id of this {@code sub}. */
    public String of(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject: " + subject + " (expected: non-blank)");
        }
        byte[] digest;
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            digest = mac.doFinal(subject.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
        byte[] id = java.util.Arrays.copyOf(digest, ID_BYTES);
        return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /**
     * The same identity under its opaque id. Only the id changes: the audience claims are kept, or rooms with an
     * audience would be hidden from the very users they are meant for.
     */
    public Identity pseudonymise(Identity identity) {
        return new Identity(
                of(identity.userId()),
                identity.pseudonym(),
                identity.roles(),
                identity.experienced(),
                identity.claims());
    }
}
