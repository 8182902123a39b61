/** Who a signed-in user is: its id, pseudonym and roles. */
package org.kindred.server.identity;
