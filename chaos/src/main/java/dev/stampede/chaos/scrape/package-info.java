/**
 * Reading the services' Prometheus metrics: a parser of the text exposition format
 * ({@link dev.stampede.chaos.scrape.PrometheusText}) and the per-second scrape of admission metrics
 * ({@link dev.stampede.chaos.scrape.MetricsScraper}).
 */
package dev.stampede.chaos.scrape;
