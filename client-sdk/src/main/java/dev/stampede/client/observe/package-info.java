/**
 * Observability hooks: a {@link dev.stampede.client.observe.ClientEventListener} receives one event per attempt,
 * retry, local rejection, finished call and reconnect kick. The Micrometer binding in
 * {@link dev.stampede.client.micrometer} is one implementation; a load generator can count with its own.
 */
package dev.stampede.client.observe;
