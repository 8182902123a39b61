/** Rate limits. */
package org.kindred.server.limit;
