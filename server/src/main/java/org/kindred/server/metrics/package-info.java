/** Metrics behind a small interface, with a Micrometer implementation exported as Prometheus text. */
package org.kindred.server.metrics;
