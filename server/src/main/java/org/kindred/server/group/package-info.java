/** Group sessions: schedules, meetings, facilitator controls, turns to speak, attendance; meeting rooms' policy. */
package org.kindred.server.group;
