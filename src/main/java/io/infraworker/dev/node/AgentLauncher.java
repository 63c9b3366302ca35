package io.infraworker.dev.node;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.infraworker.pool.SandboxPodFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a pod's agent: a shell that joins the pod's cgroups with its own pid, applies any rlimits,
 * then execs the agent as the unprivileged user in a session of its own, so no line of the agent
 * runs outside the limits and the whole group can be signalled.
 */
final class AgentLauncher {
  /** Exit code of the wrapper when it could not join the cgroup; the agent never ran. */
  static final int JOIN_FAILED = 121;

  private final Path agentBinary;
  private final Path sdkDir;
  private final String path;
  private final Optional<RunAs> runAs;
  private final Optional<Path> setsid;
  private final Optional<Path> setpriv;

  AgentLauncher(Path agentBinary, Path sdkDir, String path, Optional<RunAs> runAs) {
    this.agentBinary = agentBinary;
    this.sdkDir = sdkDir;
    this.path = path;
    this.runAs = runAs;
    this.setsid = which("setsid");
    this.setpriv = which("setpriv");
    if (runAs.isPresent() && setpriv.isEmpty()) {
      throw new IllegalStateException("setpriv (util-linux) is needed to run agents as " + runAs.get().name());
    }
  }

  Process start(Pod pod, String podIP, Path workspace, PodCgroup cgroup, Path logFile) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(cgroup))
        .directory(workspace.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        // The agent writes straight into the file; LogFiles keeps it bounded, the JVM never buffers it.
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(environment(pod, podIP, workspace));
    return pb.start();
  }

  List<String> command(PodCgroup cgroup) {
    StringBuilder script = new StringBuilder("bin=$0; for f in \"$@\"; do echo $$ > \"$f\" || { ")
        .append("echo \"localnode: cannot join cgroup $f\" >&2; exit ").append(JOIN_FAILED).append("; }; done; ")
        .append(cgroup.wrapperPrelude())
        .append("exec ");
    if (runAs.isPresent()) {
      RunAs user = runAs.get();
      // The pod asks for allowPrivilegeEscalation: false and no capabilities; this is the local equivalent.
      script.append(setpriv.get()).append(" --reuid=").append(user.uid()).append(" --regid=").append(user.gid())
          .append(" --clear-groups --no-new-privs --bounding-set=-all -- ");
    }
    script.append("\"$bin\" serve");
    List<String> command = new ArrayList<>();
    // The JVM's child is no group leader, so setsid calls setsid(2) and execs without a fork: the
    // Process's pid is the agent's pid, its process group and its session.
    setsid.ifPresent(s -> command.add(s.toString()));
    command.addAll(List.of("/bin/sh", "-c", script.toString(), agentBinary.toString()));
    cgroup.procsFiles().forEach(f -> command.add(f.toString()));
    return command;
  }

  /** The container's plain env, then what makes the pod's paths local. */
  Map<String, String> environment(Pod pod, String podIP, Path workspace) {
    Map<String, String> env = new LinkedHashMap<>();
    List<EnvVar> vars = pod.getSpec().getContainers().get(0).getEnv();
    if (vars != null) {
      for (EnvVar var : vars) {
        // valueFrom needs secrets, config maps or the downward API, which this node does not serve.
        if (var.getValue() != null && var.getValueFrom() == null) {
          env.put(var.getName(), var.getValue());
        }
      }
    }
    env.put("AGENT_LISTEN", podIP + ":" + SandboxPodFactory.AGENT_PORT);
    env.put("WORKSPACE_DIR", workspace.toString());
    env.put("SDK_DIR", sdkDir.toString());
    env.put("HOME", workspace.resolve("home").toString());
    env.put("TMPDIR", workspace.resolve("tmp").toString());
    env.put("PATH", path);
    return env;
  }

  private static Optional<Path> which(String tool) {
    return List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin").stream()
        .map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
  }
}
