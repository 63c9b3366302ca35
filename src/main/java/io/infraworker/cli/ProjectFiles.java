package io.infraworker.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds files of the project checkout: from the working directory, else next to the jar. */
final class ProjectFiles {
  private ProjectFiles() {}

  static Optional<Path> find(String relative) {
    Path here = Path.of(relative);
    if (Files.exists(here)) {
      return Optional.of(here);
    }
    try {
      // target/infra-worker.jar → the checkout is the jar's parent's parent
      Path jar = Path.of(ProjectFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = jar.getParent().getParent().resolve(relative);
      return Files.exists(candidate) ? Optional.of(candidate) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
