package io.infraworker.dev.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Hands out pod IPs from {@code 127.<block>.0.0/16}. Linux routes all of 127/8 to {@code lo}, so an
 * agent can bind any of them without setup, and each pod gets the port 8080 the operator dials.
 */
final class AddressPool {
  /** Addresses per block: y in 0..255, z in 1..254, less 127.b.0.1. */
  static final int CAPACITY = 256 * 254 - 1;

  private final int block;
  private final int port;
  private final Set<Integer> inUse = new HashSet<>();
  // Round robin, so a freed address is the last to come back: a late request of the operator for a
  // deleted pod then meets nothing rather than a stranger.
  private int cursor;

  AddressPool(int block, int port) {
    this.block = block;
    this.port = port;
  }

  /** A free address whose port is bindable, or empty when the block is exhausted. */
  synchronized Optional<String> allocate() {
    for (int tries = 0; tries < CAPACITY && inUse.size() < CAPACITY; tries++) {
      int index = cursor;
      cursor = (cursor + 1) % CAPACITY;
      if (inUse.contains(index)) {
        continue;
      }
      String address = address(index);
      // Something outside this pool (an agent left by a killed JVM, another stack on the same block)
      // may hold the port; such an address is skipped, never shared.
      if (bindable(address)) {
        inUse.add(index);
        return Optional.of(address);
      }
    }
    return Optional.empty();
  }

  synchronized void free(String address) {
    inUse.remove(index(address));
  }

  synchronized int size() {
    return inUse.size();
  }

  private String address(int index) {
    int n = index + 1; // skips 127.b.0.1
    return "127." + block + "." + (n / 254) + "." + (n % 254 + 1);
  }

  private int index(String address) {
    String[] octets = address.split("\\.");
    return Integer.parseInt(octets[2]) * 254 + Integer.parseInt(octets[3]) - 1 - 1;
  }

  private boolean bindable(String address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      return true;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      return false;
    }
  }
}
