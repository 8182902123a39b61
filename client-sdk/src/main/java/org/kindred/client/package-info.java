/**
 * The Kindred Java client: {@link org.kindred.client.KindredClient} connects over WebSocket, answers commands with
 * futures and delivers room events to a {@link org.kindred.client.KindredListener}, reconnecting and resuming rooms
 * so that each chat message reaches the application exactly once, in order.
 */
package org.kindred.client;
