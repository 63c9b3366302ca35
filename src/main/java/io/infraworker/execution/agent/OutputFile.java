package io.infraworker.execution.agent;

/** A regular file under OUTPUT_DIR that {@code GET /v1/outputs} will contain. */
public record OutputFile(String path, long size) {}
