/**
 * Writers that turn a {@link io.gpukit.core.policy.PolicyReport} into text, JSON, SARIF 2.1.0 or
 * JUnit XML.
 *
 * <p>Pick one with {@link io.gpukit.core.report.ReportFormat#fromName(String)} and write with
 * {@link io.gpukit.core.report.ReportFormat#writer()}.
 *
 * @since 0.1.0
 */
package io.gpukit.core.report;
