package io.infraworker.execution.agent;

/** A file under OUTPUT_DIR left out of the outputs archive, and why (symlink, special file, over the cap). */
public record SkippedOutput(String path, String reason) {}
