/**
 * The experiment runner ({@link dev.stampede.chaos.runner.ExperimentRunner}) and the system-under-test port it runs
 * on ({@link dev.stampede.chaos.runner.StackDriver}), implemented per restart engine.
 */
package dev.stampede.chaos.runner;
