/** Sign-in: a {@link org.kindred.server.auth.TokenVerifier} turns an access token into an identity, or refuses it. */
package org.kindred.server.auth;
