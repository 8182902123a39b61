/** The node's configuration: one immutable object with its sections, and its loader (YAML file, environment). */
package org.kindred.server.config;
