/** The Netty edge: HTTP endpoints and the WebSocket pipeline. Nothing outside this package imports Netty. */
package org.kindred.server.transport;
