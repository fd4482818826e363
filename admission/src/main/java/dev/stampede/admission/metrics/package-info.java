/** Micrometer meters of admission control, with the Prometheus names the experiment runner reads. */
package dev.stampede.admission.metrics;
