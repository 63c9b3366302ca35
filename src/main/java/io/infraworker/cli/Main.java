package io.infraworker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code infra-worker} command line: one entry point with a subcommand per job. */
@Command(
    name = "infra-worker",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kubernetes operator that runs short user functions from SQS in pre-warmed pods.",
    subcommands = {RunCommand.class, DevCommand.class, SubmitCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class})
public class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
