/**
 * Relay configuration: {@link dev.stampede.relay.config.RelayConfig} ({@code stampede.relay.*}) and the checked,
 * immutable {@link dev.stampede.relay.config.RelaySettings} the code runs on.
 */
package dev.stampede.relay.config;
