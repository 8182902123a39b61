/**
 * Who is connecting: {@link org.kindred.server.auth.TokenVerifier} turns an access token into an
 * {@link org.kindred.server.auth.Identity}, or fails with an {@link org.kindred.server.auth.AuthException} carrying
 * the protocol error code.
 */
package org.kindred.server.auth;
