/** Rooms: ordering, history pages, joins and fan-out; the registry that resolves an id to its kind and policy. */
package org.kindred.server.room;
