/** The server API of the management listener: what a community's backend calls, authenticated and audited. */
package org.kindred.server.api;
