package io.infraworker.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar's manifest (or says "dev" when run from classes). */
public class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"infra-worker " + (version == null ? "dev" : version)};
  }
}
