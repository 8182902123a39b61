/**
 * The server's settings: {@link org.kindred.server.config.KindredConfig} (immutable, checked on creation) and
 * {@link org.kindred.server.config.ConfigLoader}, which layers the embedded default, a YAML file and the environment.
 */
package org.kindred.server.config;
