/**
 * The per-second timeline of a run: what the virtual clients did ({@link dev.stampede.chaos.timeline.StormRecorder},
 * 100 ms buckets and latency histograms) and one {@link dev.stampede.chaos.timeline.TimelineSample} per second
 * from the {@link dev.stampede.chaos.timeline.Sampler}.
 */
package dev.stampede.chaos.timeline;
