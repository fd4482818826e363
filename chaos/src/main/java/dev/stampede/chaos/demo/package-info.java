/**
 * {@code ./stampede demo}: the choice of N from this machine's log-in capacity
 * ({@link dev.stampede.chaos.demo.DemoPlan}) and the demo's {@code --json} document
 * ({@link dev.stampede.chaos.demo.DemoJson}).
 */
package dev.stampede.chaos.demo;
