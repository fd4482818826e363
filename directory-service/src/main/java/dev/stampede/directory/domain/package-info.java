/**
 * The directory's domain: presence leases, lease ids, input limits, relay advice and the bounded, coalescing backlog
 * of a watcher. Plain Java, no Quarkus, no Redis.
 */
package dev.stampede.directory.domain;
