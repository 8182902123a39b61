/**
 * What nodes share: the order and history of each room's messages, who is present, and the channel events travel on.
 * {@link org.kindred.server.broker.Broker} is the one interface; {@link org.kindred.server.broker.LocalBroker} serves a
 * single node in memory, {@code RedisBroker} many nodes through Redis.
 */
package org.kindred.server.broker;
