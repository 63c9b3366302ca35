package io.infraworker.execution.agent;

import java.net.URI;
import java.util.Objects;

/** Where one pod's agent listens and the bearer token it wants (the pod's {@code AGENT_TOKEN}). */
public record AgentEndpoint(String host, int port, String token) {
  public static final int DEFAULT_PORT = 8080;

  public AgentEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(token, "token");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** The agent of a pod IP on the standard port. */
  public static AgentEndpoint ofPod(String podIp, String token) {
    return new AgentEndpoint(podIp, DEFAULT_PORT, token);
  }

  /** {@code http://host:port} + the path (and query); IPv6 pod IPs get their brackets. */
  public URI uri(String pathAndQuery) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port + pathAndQuery);
  }

  /** host:port for messages. */
  public String address() {
    return host + ":" + port;
  }

  // The token is a credential: keep it out of logs and exception messages.
  @Override
  public String toString() {
    return "AgentEndpoint[" + address() + "]";
  }
}
