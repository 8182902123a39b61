package org.kindred.server.identity;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kindred.protocol.LanguageTags;
import org.kindred.protocol.UserInfo;

/**
 * Who a verified connection belongs to.
 *
 * @param userId    stable user id from the token's {@code sub}; the same person on two devices has the same id
 * @param pseudonym the name shown to others, already trimmed and checked
 * @param roles     at least one role; kept in rank order
 * @param experienced the community marked this user (a mentor) as experienced: crisis requests are offered to such
 *                    mentors first (token claim {@code experienced: true})
 * @param claims    the token's other top-level claims with a text, boolean or number value, as text (an age band, a
 *                  verified-adult flag): what room audiences are decided on ({@code RoomAudience}). Kept in memory for
 *                  the connection only, never sent or stored
 */
public record Identity(
        String userId, String pseudonym, Set<Role> roles, boolean experienced, Map<String, String> claims) {

    /** The OpenID Connect claim naming the language the user reads. */
    public static final String LOCALE_CLAIM = "locale";

    /** Claims that are read into the fields above, or checked by the verifier: never audience claims. */
    public static final Set<String> RESERVED_CLAIMS =
            Set.of("sub", "iss", "aud", "exp", "nbf", "iat", "jti", "pseudonym", "role", "roles", "experienced");

    /** An identity without the experienced mark. */
    public Identity(String userId, String pseudonym, Set<Role> roles) {
        this(userId, pseudonym, roles, false);
    }

    /** An identity without audience claims. */
    public Identity(String userId, String pseudonym, Set<Role> roles, boolean experienced) {
        this(userId, pseudonym, roles, experienced, Map.of());
    }

    public Identity {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId: " + userId + " (expected: non-blank)");
        }
        if (pseudonym == null || pseudonym.isBlank()) {
            throw new IllegalArgumentException("pseudonym: " + pseudonym + " (expected: non-blank)");
        }
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("roles: " + roles + " (expected: at least one role)");
        }
        // An EnumSet iterates in declaration order, which is rank order: roleNames() comes out lowest rank first.
        roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    /** The highest-ranked role, shown next to the pseudonym. */
    public Role primaryRole() {
        Role highest = null;
        for (Role role : roles) {
            highest = role; // rank order: the last one is the highest
        }
        return highest;
    }

    /** The user as others see it: id, pseudonym and primary role. */
    public UserInfo toUserInfo() {
        return new UserInfo(userId, pseudonym, primaryRole().wire());
    }

    /** Whether the user holds no role but member: content rules and new-member limits apply to it. */
    public boolean plainMember() {
        return roles.size() == 1 && roles.contains(Role.MEMBER);
    }

    /**
     * The language the token says the user reads: its OpenID Connect {@code locale} claim as a BCP 47 tag
     * ({@code fr-CA}; {@code fr_CA} is read as that too); empty when absent or not a tag, which never refuses a token.
     */
    public Optional<String> locale() {
        String claim = claims.get(LOCALE_CLAIM);
        return claim == null ? Optional.empty() : LanguageTags.canonical(claim.replace('_', '-'));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Wire names of the roles, lowest rank first, e.g. {@code ["member", "moderator"]}. */
    public List<String> roleNames() {
        return roles.stream().map(Role::wire).toList();
    }
}
