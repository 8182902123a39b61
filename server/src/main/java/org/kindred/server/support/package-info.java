/**
 * One-to-one peer support: mentors' availability, members' requests and their queue, matching and offers, private
 * sessions between a member and a mentor, hand-offs, feedback and transcript retention.
 */
package org.kindred.server.support;
