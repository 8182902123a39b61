/** One client's session: authentication, rate limit and the dispatch of its commands, free of any transport. */
package org.kindred.server.session;
