/**
 * The retry calendar (virtual waiting room): delays handed to refused clients come from time slots whose budget is
 * the measured throughput; optionally shared by all replicas through Redis.
 */
package dev.stampede.admission.calendar;
