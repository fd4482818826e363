/**
 * The adaptive concurrency limit ({@code concurrency-limits-core} algorithms with honest sampling) and the shares of
 * it reserved per priority.
 */
package dev.stampede.admission.limit;
