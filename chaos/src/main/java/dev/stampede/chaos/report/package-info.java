/**
 * What a run leaves behind: {@code report.json} ({@link dev.stampede.chaos.report.ReportJson}), a self-contained
 * {@code report.html} with inline SVG charts ({@link dev.stampede.chaos.report.ReportHtml}), the terminal summary
 * table and verdict ({@link dev.stampede.chaos.report.SummaryTable}) and the live progress line
 * ({@link dev.stampede.chaos.report.ProgressLine}).
 */
package dev.stampede.chaos.report;
