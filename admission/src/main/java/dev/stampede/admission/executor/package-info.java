/**
 * Worker pools whose queue is part of what admission protects (bounded, priority-ordered, deadline-aware), or naive
 * when admission is off.
 */
package dev.stampede.admission.executor;
