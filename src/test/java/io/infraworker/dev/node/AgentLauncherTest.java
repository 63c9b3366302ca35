package io.infraworker.dev.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentLauncherTest {
  private final Pod pod = new PodBuilder().withNewSpec().addNewContainer().withName("function")
      .withEnv(new EnvVar("AGENT_TOKEN", "secret", null),
          new EnvVar("AGENT_LISTEN", ":8080", null),
          new EnvVar("WORKSPACE_DIR", "/workspace", null),
          new EnvVar("HOME", "/tmp", null),
          new EnvVar("MEMORY_MB", "128", null),
          new EnvVar("FROM_SECRET", null, new EnvVarSourceBuilder().withNewSecretKeyRef("k", "s", false).build()))
      .endContainer().endSpec().build();

  @Test
  void environmentIsThePodsPlainEnvWithLocalPathsAndThePodsAddress() {
    AgentLauncher launcher = new AgentLauncher(Path.of("/opt/agent"), Path.of("/opt/sdk"), "/py/bin:/usr/bin",
        Optional.empty());
    Map<String, String> env = launcher.environment(pod, "127.20.0.7", Path.of("/state/pods/jobs_p"));

    assertThat(env)
        .containsEntry("AGENT_TOKEN", "secret")
        .containsEntry("MEMORY_MB", "128")
        .containsEntry("AGENT_LISTEN", "127.20.0.7:8080")
        .containsEntry("WORKSPACE_DIR", "/state/pods/jobs_p")
        .containsEntry("HOME", "/state/pods/jobs_p/home")
        .containsEntry("SDK_DIR", "/opt/sdk")
        .containsEntry("PATH", "/py/bin:/usr/bin")
        .doesNotContainKey("FROM_SECRET");
  }

  @Test
  void wrapperJoinsEveryCgroupBeforeItExecsTheAgentAsTheUser() {
    AgentLauncher launcher = new AgentLauncher(Path.of("/opt/agent"), Path.of("/opt/sdk"), "/usr/bin",
        Optional.of(new RunAs("nobody", 65534, 65534)));
    PodCgroup cgroup = new PodCgroup(List.of(Path.of("/cg/memory/p"), Path.of("/cg/pids/p")), Optional.empty(), "");

    List<String> command = launcher.command(cgroup);

    assertThat(command.get(0)).endsWith("setsid");
    assertThat(command).containsSubsequence("/bin/sh", "-c");
    String script = command.get(3);
    assertThat(script).contains("echo $$ > \"$f\"")
        .contains("--reuid=65534 --regid=65534 --clear-groups --no-new-privs")
        .endsWith("\"$bin\" serve");
    assertThat(script.indexOf("for f in")).isLessThan(script.indexOf("exec "));
    assertThat(command.subList(4, command.size()))
        .containsExactly("/opt/agent", "/cg/memory/p/cgroup.procs", "/cg/pids/p/cgroup.procs");
  }
}
