/**
 * The system of record in SQL (docs/data.md): Flyway migrations, a HikariCP pool and small JDBC behind the features'
 * store interfaces, on the embedded H2 file or PostgreSQL. Never on the path of a live chat message.
 */
package org.kindred.server.store;
