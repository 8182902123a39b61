/** Safety: crisis language detection, alerts to the people who can help, reports and the audit log. */
package org.kindred.server.safety;
