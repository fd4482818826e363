/**
 * Experiment files: their model ({@link dev.stampede.chaos.experiment.Experiment}), the YAML reader that validates
 * them with errors naming the field ({@link dev.stampede.chaos.experiment.ExperimentParser}) and the SLOs a run is
 * judged by ({@link dev.stampede.chaos.experiment.Slo}).
 */
package dev.stampede.chaos.experiment;
