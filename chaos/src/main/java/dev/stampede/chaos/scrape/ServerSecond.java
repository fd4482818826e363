package dev.stampede.chaos.scrape;

/**
 * What one service's admission control reported in one second of the timeline, over all its replicas. Values are
 * {@code null} when no replica answered or the service does not export the metric (admission off exports no limit).
 *
 * @param replicas replicas scraped
 * @param up replicas that answered the scrape
 * @param limit the concurrency limit (sum over replicas)
 * @param inflight requests being served (sum)
 * @param queueLength requests waiting in the admission queue (sum)
 * @param queueMs the mean queue time of the requests that left the queue this second, ms
 * @param admittedPerS requests admitted per second (sum)
 * @param rejectedPerS requests rejected per second (sum)
 */
public record ServerSecond(int replicas, int up, Double limit, Double inflight, Double queueLength, Double queueMs,
    Double admittedPerS, Double rejectedPerS) {
}
