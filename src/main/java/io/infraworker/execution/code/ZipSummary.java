package io.infraworker.execution.code;

/** What {@link ZipInspector} counted in an accepted zip: entries and bytes actually inflated. */
public record ZipSummary(int entries, long uncompressedBytes) {}
