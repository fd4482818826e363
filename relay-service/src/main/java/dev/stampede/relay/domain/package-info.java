/**
 * Pure relay domain: roles, ids and join tokens, input limits, and {@link dev.stampede.relay.domain.RelayException},
 * the one vocabulary of failures that the gRPC edge maps to statuses.
 */
package dev.stampede.relay.domain;
