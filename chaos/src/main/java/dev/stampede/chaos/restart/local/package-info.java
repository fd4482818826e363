/**
 * Stampede on one machine: {@link dev.stampede.chaos.restart.local.LocalStack} (Redis and supervised service
 * replicas as child processes, labelled like pods), the {@link dev.stampede.chaos.restart.local.LocalEngine} that
 * restarts them, the endpoints file of {@code stampede up}, and the control socket through which
 * {@code stampede restart --engine local} reaches a running {@code up}.
 */
package dev.stampede.chaos.restart.local;
