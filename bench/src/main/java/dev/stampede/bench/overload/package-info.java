/**
 * The overload benchmark: a CPU-burning server behind admission (its own process) under open-loop load at 1-10× its
 * capacity, protected against unprotected.
 */
package dev.stampede.bench.overload;
