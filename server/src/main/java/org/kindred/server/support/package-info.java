/** One-to-one support: requests, matching, offers, private sessions, hand-offs, feedback; their rooms' policy. */
package org.kindred.server.support;
