/**
 * The Kindred wire protocol, version {@value org.kindred.protocol.ProtocolVersion#CURRENT}: JSON text frames, one
 * sealed type per direction ({@link org.kindred.protocol.ClientMessage} and {@link org.kindred.protocol.ServerMessage}),
 * stable {@link org.kindred.protocol.ErrorCode error codes} and {@link org.kindred.protocol.CloseCode close codes}.
 * {@code docs/protocol.md} is the specification of everything in this package.
 */
package org.kindred.protocol;
