/** The domain's side of a client: a connection to send frames to, and every connection of a user on this node. */
package org.kindred.server.connection;
