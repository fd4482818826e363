/**
 * Micrometer metrics for the client, an optional dependency: this package is the only one that needs
 * {@code micrometer-core} on the class path.
 */
package dev.stampede.client.micrometer;
