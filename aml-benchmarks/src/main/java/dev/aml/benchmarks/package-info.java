/**
 * JMH benchmarks of AML's hot paths, each with a baseline in the same run so results read as
 * ratios. Build with {@code mvn -B -pl aml-benchmarks -am package -DskipTests} and run with
 * {@code benchmarks/run.sh [regex]}; results land in {@code benchmarks/results/}.
 */
@NullMarked
package dev.aml.benchmarks;

import org.jspecify.annotations.NullMarked;
