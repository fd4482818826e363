/**
 * Admission control for Stampede gRPC servers: {@link dev.stampede.admission.Admission} builds everything for one
 * service from an {@link dev.stampede.admission.AdmissionConfig} and its {@link dev.stampede.admission.MethodPolicies};
 * {@link dev.stampede.admission.Priority} orders work; {@link dev.stampede.admission.OverloadException} and
 * {@link dev.stampede.admission.ApiException} are the failures services raise. See {@code admission/README.md}.
 */
package dev.stampede.admission;
