package io.infraworker.pool;

import java.security.SecureRandom;
import java.util.Base64;

/** Derives pod names and agent tokens; randomness comes from one injected source so tests can see it. */
public final class PodNames {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int SUFFIX_LENGTH = 5;
  // Pod names double as hostnames, so keep them within a DNS label.
  private static final int MAX_NAME = 63;

  private final SecureRandom random;

  public PodNames(SecureRandom random) {
    this.random = random;
  }

  /** A fresh pod name from a prefix, the way a ReplicaSet names its pods (prefix plus a 5-char suffix). */
  public String podName(String prefix) {
    String base = prefix.length() > MAX_NAME - SUFFIX_LENGTH - 1
        ? prefix.substring(0, MAX_NAME - SUFFIX_LENGTH - 1)
        : prefix;
    base = base.replaceAll("-+$", "");
    StringBuilder name = new StringBuilder(base).append('-');
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }

  /** A fresh bearer token for one pod's agent: 256 random bits. */
  public String agentToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
