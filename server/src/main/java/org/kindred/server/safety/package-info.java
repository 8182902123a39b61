/** Safety: crisis alerts, reports, blocks, sanctions, content rules, held messages and the audit log. */
package org.kindred.server.safety;
