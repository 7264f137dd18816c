package dev.skirmish.gateway;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * FAF commands this node refuses with {@code {"command": "disabled", "request": <command>}}: those the
 * operator switched off ({@code FAF_DISABLED_COMMANDS}), and, once the node is stopping, whatever would
 * start something new (hosting or joining a game, starting a search).
 */
final class DisabledCommands {

  private static final Set<String> NEW_GAMES = Set.of("game_host", "game_join");

  private final Set<String> configured;
  private boolean stopping;

  DisabledCommands(String commaList) {
    this.configured = Arrays.stream(commaList == null ? new String[0] : commaList.split(","))
      .map(String::trim).filter(c -> !c.isEmpty()).collect(Collectors.toUnmodifiableSet());
  }

  /** From now on new games and searches are refused. */
  void stopping() {
    stopping = true;
  }

  /** Whether {@code message} (a logged-in player's command) is refused. */
  boolean refuses(JsonObject message) {
    String command = message.getString("command");
    if (configured.contains(command)) {
      return true;
    }
    return stopping && (NEW_GAMES.contains(command)
      || ("game_matchmaking".equals(command) && "start".equals(message.getValue("state"))));
  }
}
