/**
 * The recovery metrics of DESIGN §6: who is online ({@link dev.stampede.chaos.metrics.OnlineTracker}), T99, the
 * bound max(W, t_ready) + N ÷ C, R, attempts per client and goodput during the storm
 * ({@link dev.stampede.chaos.metrics.RecoveryCalculator}).
 */
package dev.stampede.chaos.metrics;
