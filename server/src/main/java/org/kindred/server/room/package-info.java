/** Condition-themed rooms: ordering, history, idempotent send and fan-out to members. */
package org.kindred.server.room;
