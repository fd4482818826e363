/**
 * Operations: readiness (gRPC demonstrably serving, Redis answering, not draining), the gRPC self-probe that guards
 * against a server that logs "started" but serves nothing, and graceful draining on shutdown.
 */
package dev.stampede.directory.health;
