package dev.stampede.client.observe;

/**
 * The reconnect pacer kicked a channel that had no connection.
 *
 * @param target the channel's target
 * @param kick 1 for the first kick since the channel lost its connection
 * @param waitedNanos how long the pacer waited before this kick
 */
public record ReconnectEvent(String target, int kick, long waitedNanos) {
}
