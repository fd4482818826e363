/**
 * Channels and reconnecting: targets ({@code host:port} lists or {@code dns:///} names, balanced round robin),
 * TLS, and the {@link dev.stampede.client.transport.ReconnectPacer} that keeps reconnect attempts to a restarted
 * server short and capped — the kind of waiting that costs a server nothing, kept apart from retrying after an
 * answer ({@link dev.stampede.client.retry}).
 */
package dev.stampede.client.transport;
