package org.kindred.server.auth;

import java.time.Instant;
import org.kindred.server.identity.Identity;

/**
 * A verified token: who it names and until when it may keep a connection open (its {@code exp}, or {@code iat} plus
 * {@code jwt.maxTokenAge} when that comes first).
 */
public record SignedIn(Identity identity, Instant validUntil) {}
