/** A client as the domain reaches it: its connection, a user's connections on this node, a refused command. */
package org.kindred.server.connection;
