package dev.skirmish.deploy;

import com.github.f4b6a3.ulid.Ulid;
import dev.skirmish.common.Ids;
import dev.skirmish.common.testing.OmegaClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static org.assertj.core.api.Assertions.assertThat;

/** CL Omega session tokens cannot be guessed from other tokens, and a made-up token is refused. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OmegaSessionTokenTest {

  private static final int TOKENS = 8;

  @RegisterExtension
  static final TestNode NODE = new TestNode();

  /** Issues {@code n} tokens for one account, one after the other. */
  private static Future<List<String>> tokens(TestAccounts accounts, TestAccounts.Account account, int n, List<String> out) {
    if (n == 0) {
      return Future.succeededFuture(out);
    }
    return accounts.omegaToken(account, null).compose(t -> {
      out.add(t);
      return tokens(accounts, account, n - 1, out);
    });
  }

  @Test
  @DisplayName("tokens issued back to back carry no issue time and no sequence: random 128-bit values in ULID form")
  void tokensAreUnpredictable(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    long before = System.currentTimeMillis();
    accounts.register("tok").compose(account -> tokens(accounts, account, TOKENS, new ArrayList<>())).onComplete(
      ctx.succeeding(list -> ctx.verify(() -> {
        long after = System.currentTimeMillis();
        assertThat(list).allMatch(Ids::isUlid).doesNotHaveDuplicates();
        // A ULID's first 48 bits are its creation time: a time-ordered token would name the moment it was issued.
        long nearIssueTime = list.stream().map(Ulid::from)
          .filter(u -> u.getTime() >= before - 3_600_000 && u.getTime() <= after + 3_600_000).count();
        assertThat(nearIssueTime).as("tokens whose ULID time is the issue time").isLessThanOrEqualTo(1);
        // Random 128-bit values differ in about 64 bits; a counter or a clock differs in a handful.
        for (int i = 0; i < list.size(); i++) {
          for (int j = i + 1; j < list.size(); j++) {
            assertThat(differingBits(list.get(i), list.get(j))).as("bits differing between tokens %d and %d", i, j)
              .isGreaterThanOrEqualTo(24);
          }
        }
        ctx.completeNow();
      })));
  }

  private static int differingBits(String a, String b) {
    Ulid x = Ulid.from(a);
    Ulid y = Ulid.from(b);
    return Long.bitCount(x.getMostSignificantBits() ^ y.getMostSignificantBits())
      + Long.bitCount(x.getLeastSignificantBits() ^ y.getLeastSignificantBits());
  }

  @Test
  @DisplayName("a made-up token in ULID form, or a neighbour of a real one, is TOKEN_INVALID; the real token works")
  void forgedTokenIsRefused(Vertx vertx, VertxTestContext ctx) {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    accounts.register("forge").compose(account -> accounts.omegaToken(account, null)).compose(real -> {
      Ulid u = Ulid.from(real);
      String neighbour = new Ulid(u.getMostSignificantBits(), u.getLeastSignificantBits() + 1).toString();
      return OmegaClient.connect(vertx, NODE.httpPort(), DEMO_UGI).compose(client -> {
        client.send("INIT", Ids.ulid(), "made-up");
        return client.next().compose(p -> {
          ctx.verify(() -> assertThat(p).isEqualTo(new JsonObject().put("opcode", "TOKEN_INVALID")
            .put("payload", "session not found").put("listener", "made-up")));
          client.send("INIT", neighbour, "neighbour");
          return client.next();
        }).compose(p -> {
          ctx.verify(() -> assertThat(p.getString("opcode")).isEqualTo("TOKEN_INVALID"));
          return client.init(real);
        }).compose(ok -> client.close());
      });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
