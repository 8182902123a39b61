/** Rate limits: a token bucket per connection. */
package org.kindred.server.limit;
