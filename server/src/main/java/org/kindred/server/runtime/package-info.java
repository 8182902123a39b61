/** What a node runs on: its time sources, its daemon threads, and what happens to work nobody waits for. */
package org.kindred.server.runtime;
