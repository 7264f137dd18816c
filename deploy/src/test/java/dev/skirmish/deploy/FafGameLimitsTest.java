package dev.skirmish.deploy;

import dev.skirmish.deploy.FafTestSupport.Player;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafGameKit.gameInfo;
import static dev.skirmish.deploy.FafGameKit.gpg;
import static dev.skirmish.deploy.FafGameKit.gpgMessage;
import static dev.skirmish.deploy.FafGameKit.hostCommand;
import static dev.skirmish.deploy.FafGameKit.hostOpen;
import static dev.skirmish.deploy.FafGameKit.join;
import static dev.skirmish.deploy.FafGameKit.players;
import static dev.skirmish.deploy.FafTestSupport.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The size limits of what FAF clients send to the games service, over real WebSockets: anything over a limit
 * gets an error notice, the connection stays open, and nothing of it is stored or forwarded.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class FafGameLimitsTest {

  @RegisterExtension
  static final TestNode NODE = new TestNode("GAME_INFO_TICK_MS", "100", "GAME_TITLE_MAX_LENGTH", "20",
    "GAME_MAP_MAX_LENGTH", "20", "GAME_PASSWORD_MAX_LENGTH", "8", "GAME_OPTION_VALUE_MAX_LENGTH", "40",
    "GAME_OPTIONS_MAX", "11", "GAME_MODS_MAX", "2", "GPGNET_ARGS_MAX", "4", "GPGNET_ARG_MAX_LENGTH", "200");

  private static final String LONG = "x".repeat(21);

  /** Sends {@code message} and completes with the error notice it gets; a ping afterwards proves the connection open. */
  private static Future<JsonObject> refused(Player p, JsonObject message) {
    p.client().send(message);
    return p.client().expectNotice("error").compose(n -> roundTrip(p.client()).map(pong -> n));
  }

  @Test
  @DisplayName("game_host with a title, map name or password over its limit: error notice, no game")
  void hostLimits(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "lhh").compose(ps -> {
      Player a = ps.get(0);
      return refused(a, hostCommand(LONG))
        .compose(title -> refused(a, hostCommand("Fine").put("mapname", LONG)).map(map -> List.of(title, map)))
        .compose(two -> refused(a, hostCommand("Fine").put("password", "123456789")).map(pw -> {
          ctx.verify(() -> {
            assertThat(two.get(0).getString("text")).isEqualTo("The game title must not be longer than 20 characters.");
            assertThat(two.get(1).getString("text")).isEqualTo("The map name must not be longer than 20 characters.");
            assertThat(pw.getString("text")).isEqualTo("The game password must not be longer than 8 characters.");
            assertThat(a.client().inbox().history()).noneMatch(m -> "game_launch".equals(m.getString("command")));
          });
          return ps;
        }))
        // Still idle: a game within the limits is hosted.
        .compose(x -> FafGameKit.host(a, hostCommand("Fine").put("password", "12345678")).map(launch -> ps));
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the host's GameOption, GameMods and option count over their limits: error notice, not stored or announced")
  void optionLimits(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "loh", "lov").compose(ps -> {
      Player a = ps.get(0);
      Player viewer = ps.get(1);
      return hostOpen(a, "Limits").compose(uid -> refused(a, gpg("GameOption", "Title", LONG))
        .compose(n -> refused(a, gpg("GameOption", "ScenarioFile", "/maps/" + LONG + "/x_scenario.lua")))
        .compose(n -> refused(a, gpg("GameOption", "Share", "y".repeat(41))))
        .compose(n -> refused(a, gpg("GameMods", "uids", "a b c")))
        // nine default options and two more fill the game's options; a twelfth key is refused
        .compose(n -> {
          a.client().send(gpg("GameOption", "Title", "Within limits")).send(gpg("GameOption", "Share", "FullShare"));
          return refused(a, gpg("GameOption", "OneTooMany", "1"));
        })
        .compose(full -> {
          ctx.verify(() -> assertThat(full.getString("text")).isEqualTo("A game can store at most 11 game options."));
          a.client().send(gpg("GameMods", "uids", "a b"));
          return viewer.client().inbox().next(gameInfo(uid, "open", m -> "Within limits".equals(m.getString("title"))
            && m.getJsonObject("sim_mods").size() == 2), "the title and mods within the limits");
        })
        .map(info -> {
          ctx.verify(() -> {
            assertThat(info.getString("mapname")).isEqualTo("scmp_007");
            assertThat(info.getJsonObject("sim_mods").fieldNames()).containsExactlyInAnyOrder("a", "b");
            assertThat(viewer.client().inbox().history()).noneMatch(m -> "game_info".equals(m.getString("command"))
              && LONG.equals(m.getString("title")));
          });
          return ps;
        }));
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a GPGNet message with too many or too long arguments is refused and not relayed")
  void gpgNetLimits(Vertx vertx, VertxTestContext ctx) {
    players(vertx, NODE.node(), "lgh", "lgj").compose(ps -> {
      Player a = ps.get(0);
      Player b = ps.get(1);
      return hostOpen(a, "Relay").compose(uid -> join(b, uid, a))
        .compose(v -> refused(b, gpg("IceMsg", a.id(), new JsonObject().put("sdp", "s".repeat(200)))))
        .compose(n -> refused(b, gpg("IceMsg", a.id(), "1", "2", "3", "4")))
        .compose(n -> {
          b.client().send(gpg("IceMsg", a.id(), "marker"));
          return a.client().inbox().next(gpgMessage("IceMsg", b.id(), "marker"), "the marker");
        })
        .map(marker -> {
          ctx.verify(() -> assertThat(a.client().inbox().history().stream().filter(gpgMessage("IceMsg"))
            .map(m -> m.getJsonArray("args").getValue(1))).containsExactly("marker"));
          return ps;
        });
    }).compose(FafGameKit::closeAll).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("GAMES_HOSTED_MAX caps the games one account hosts at once")
  void hostedCap(Vertx vertx, VertxTestContext ctx) {
    TestNodes.start("GAMES_HOSTED_MAX", "0").compose(node -> players(vertx, node, "lch")
      .compose(ps -> refused(ps.get(0), hostCommand("Over the cap")).map(n -> {
        ctx.verify(() -> assertThat(n.getString("text")).isEqualTo("You can host at most 0 game(s) at a time."));
        return ps;
      }).compose(FafGameKit::closeAll))
      .eventually(node::close))
      .onComplete(ctx.succeedingThenComplete());
  }
}
