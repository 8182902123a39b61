/** Many nodes through Redis: the Redis implementations of the broker and of the support, group and safety stores. */
package org.kindred.server.redis;
