package io.infraworker.dev.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
  private static final int PORT = 18080;

  @Test
  void addressesAreDistinctLoopbackAddressesOfTheBlock() {
    AddressPool pool = new AddressPool(28, PORT);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 600; i++) {
      String address = pool.allocate().orElseThrow();
      assertThat(address).matches("127\\.28\\.\\d{1,3}\\.\\d{1,3}").isNotEqualTo("127.28.0.1");
      assertThat(seen.add(address)).as(address).isTrue();
    }
    assertThat(pool.size()).isEqualTo(600);
  }

  @Test
  void aFreedAddressIsNotHandedOutAgainWhileOthersAreFree() {
    AddressPool pool = new AddressPool(28, PORT);
    String first = pool.allocate().orElseThrow();
    pool.free(first);
    assertThat(pool.allocate().orElseThrow()).isNotEqualTo(first);
    assertThat(pool.size()).isEqualTo(1);
  }

  @Test
  void anAddressWhosePortSomeoneElseHoldsIsSkipped() throws Exception {
    try (ServerSocket stranger = new ServerSocket()) {
      stranger.bind(new InetSocketAddress(InetAddress.getByName("127.27.0.2"), PORT));
      AddressPool pool = new AddressPool(27, PORT);
      assertThat(pool.allocate()).hasValue("127.27.0.3");
    }
  }
}
