/** A member's data rights: the export of everything Kindred holds about it, and its erasure. */
package org.kindred.server.members;
