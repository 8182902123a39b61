package org.kindred.server.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindred.server.identity.Identity;
import org.kindred.server.identity.Role;

/**
 * Reads an {@link Identity} from verified claims: {@code sub}, {@code pseudonym}, and {@code roles} (a list) or
 * {@code role} (one string). {@code roles} wins when both are present; with neither, the user is a member.
 */
final class IdentityClaims {

    static final int MAX_PSEUDONYM_LENGTH = 32;
    static final int MAX_USER_ID_LENGTH = 256;

    private IdentityClaims() {}

    static Identity identity(JWTClaimsSet claims) {
        Set<Role> roles = roles(claims);
        String pseudonym = pseudonym(claims);
        org.kindred.server.safety.Pseudonyms.refusal(pseudonym, roles.contains(Role.MODERATOR))
                .ifPresent(why -> {
                    throw TokenRefusals.invalid("claim 'pseudonym': " + why);
                });
        return new Identity(userId(claims), pseudonym, roles, experienced(claims), audienceClaims(claims));
    }

    /** At most this many audience claims are kept, each value at most this long: a token cannot fill the heap. */
    static final int MAX_AUDIENCE_CLAIMS = 32;

    static final int MAX_CLAIM_VALUE_LENGTH = 100;

    /** The claims room audiences may name: top-level text, boolean and number values, as text. */
    private static Map<String, String> audienceClaims(JWTClaimsSet claims) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Object> claim : claims.getClaims().entrySet()) {
            Object value = claim.getValue();
            if (kept.size() == MAX_AUDIENCE_CLAIMS || Identity.RESERVED_CLAIMS.contains(claim.getKey())) {
                continue;
            }
            if (value instanceof String || value instanceof Boolean || value instanceof Number) {
                String text = value.toString();
                if (text.length() <= MAX_CLAIM_VALUE_LENGTH) {
                    kept.put(claim.getKey(), text);
                }
            }
        }
        return kept;
    }

    private static String userId(JWTClaimsSet claims) {
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            throw TokenRefusals.invalid("claim 'sub' is missing or blank");
        }
        if (sub.length() > MAX_USER_ID_LENGTH) {
            throw TokenRefusals.invalid("claim 'sub' is longer than " + MAX_USER_ID_LENGTH + " characters");
        }
        return sub;
    }

    private static boolean experienced(JWTClaimsSet claims) {
        try {
            return Boolean.TRUE.equals(claims.getBooleanClaim("experienced"));
        } catch (java.text.ParseException e) {
            throw TokenRefusals.invalid("claim 'experienced' is not a boolean");
        }
    }

    private static String pseudonym(JWTClaimsSet claims) {
        String raw;
        try {
            raw = claims.getStringClaim("pseudonym");
        } catch (ParseException e) {
            throw TokenRefusals.invalid("claim 'pseudonym' is not a string");
        }
        if (raw == null) {
            throw TokenRefusals.invalid("claim 'pseudonym' is missing");
        }
        String pseudonym = raw.trim();
        int length = pseudonym.codePointCount(0, pseudonym.length());
        if (length < 1 || length > MAX_PSEUDONYM_LENGTH) {
            throw TokenRefusals.invalid(
                    "claim 'pseudonym' has " + length + " characters (expected: 1-" + MAX_PSEUDONYM_LENGTH + ")");
        }
        // Control characters could break clients' layouts or logs.
        if (pseudonym.codePoints().anyMatch(Character::isISOControl)) {
            throw TokenRefusals.invalid("claim 'pseudonym' contains a control character");
        }
        return pseudonym;
    }

    private static Set<Role> roles(JWTClaimsSet claims) {
        List<String> names;
        try {
            if (claims.getClaim("roles") != null) {
                names = claims.getStringListClaim("roles");
            } else if (claims.getClaim("role") != null) {
                names = List.of(claims.getStringClaim("role"));
            } else {
                names = List.of();
            }
        } catch (ParseException e) {
            throw TokenRefusals.invalid("claim 'roles' must be a list of strings, 'role' a string");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            if (name == null) {
                throw TokenRefusals.invalid("claim 'roles' contains null");
            }
            roles.add(Role.fromWire(name).orElseThrow(() -> TokenRefusals.unknownRole(name)));
        }
        // Everyone who signs in is at least a member, including with an empty list.
        if (roles.isEmpty()) {
            roles.add(Role.MEMBER);
        }
        return roles;
    }
}
