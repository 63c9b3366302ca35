package io.infraworker.tuning;

/**
 * AutoTuner's verdict on one run; every field is null when there is nothing to say (no measured peak,
 * or usage within the comfortable band).
 *
 * @param recommendedMemoryMb the memory limit to use next time, in MiB
 * @param optimizationTip the human-readable tip, in the original worker's words
 * @param estimatedSavings the monthly savings of the recommendation, e.g. {@code $8.18/month}
 */
public record Tuning(Integer recommendedMemoryMb, String optimizationTip, String estimatedSavings) {
  /** No recommendation, no tip, no savings. */
  public static final Tuning NONE = new Tuning(null, null, null);
}
