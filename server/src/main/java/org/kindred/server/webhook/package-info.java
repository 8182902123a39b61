/** Outgoing webhooks: signed events to the community's backend, queued per endpoint, retried, dead-lettered. */
package org.kindred.server.webhook;
