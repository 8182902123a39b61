/** The command line of the server jar: sub-commands for operators and one-line explanations of start-up failures. */
package org.kindred.server.cli;
