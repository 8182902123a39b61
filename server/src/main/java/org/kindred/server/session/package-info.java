/** One connection's commands: decoded, signed in, rate limited, handed to a handler per feature; the post pipeline. */
package org.kindred.server.session;
