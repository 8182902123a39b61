/** Who is in which room, counted once per user however many devices it uses, with a grace period for dropped links. */
package org.kindred.server.presence;
