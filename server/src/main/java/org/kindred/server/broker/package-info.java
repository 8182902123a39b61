/** What nodes share about rooms: the {@link org.kindred.server.broker.Broker} interface and its in-memory version. */
package org.kindred.server.broker;
