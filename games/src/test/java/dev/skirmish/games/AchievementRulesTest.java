package dev.skirmish.games;

import dev.skirmish.games.AchievementRules.Definition;
import dev.skirmish.games.AchievementRules.Op;
import dev.skirmish.games.AchievementRules.Outcome;
import dev.skirmish.games.AchievementRules.Progress;
import dev.skirmish.games.AchievementRules.Update;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.skirmish.games.AchievementRules.REVEALED;
import static dev.skirmish.games.AchievementRules.UNLOCKED;
import static org.assertj.core.api.Assertions.assertThat;

class AchievementRulesTest {

  private static final Definition STANDARD = new Definition("first_victory", null);
  private static final Definition FOUR_STEPS = new Definition("faction_tour", 4);

  private static ArmyStats.Army army(int built, int acuKills) {
    return new ArmyStats.Army("p", false, 2, 100, built, acuKills, new JsonObject());
  }

  @Test
  @DisplayName("a won game with 100 units built and two commander kills fires every rule")
  void firesEveryRule() {
    assertThat(AchievementRules.fired(army(100, 2), Results.VICTORY, 1)).containsExactly(
      new Update(AchievementRules.FIRST_VICTORY, Op.UNLOCK, 0),
      new Update(AchievementRules.INDUSTRIALIST, Op.UNLOCK, 0),
      new Update(AchievementRules.COMMANDER_HUNTER, Op.INCREMENT, 2),
      new Update(AchievementRules.FACTION_TOUR, Op.SET_AT_LEAST, 1));
  }

  @Test
  @DisplayName("a lost game with 99 units and no commander kills only counts the factions played")
  void lostGame() {
    assertThat(AchievementRules.fired(army(99, 0), Results.DEFEAT, 2))
      .containsExactly(new Update(AchievementRules.FACTION_TOUR, Op.SET_AT_LEAST, 2));
    assertThat(AchievementRules.fired(army(0, 0), Results.DRAW, 0)).isEmpty();
  }

  @Test
  @DisplayName("a standard achievement unlocks once; steps do not apply to it")
  void standard() {
    Outcome first = AchievementRules.apply(STANDARD, null, new Update("first_victory", Op.UNLOCK, 0));
    assertThat(first).isEqualTo(new Outcome(new Progress(null, UNLOCKED), true, true));
    assertThat(AchievementRules.apply(STANDARD, first.progress(), new Update("first_victory", Op.UNLOCK, 0)).changed()).isFalse();
    assertThat(AchievementRules.apply(STANDARD, null, new Update("first_victory", Op.INCREMENT, 3)).changed()).isFalse();
  }

  @Test
  @DisplayName("an incremental achievement is revealed with its steps, unlocks at its total, and never goes back")
  void incremental() {
    Outcome one = AchievementRules.apply(FOUR_STEPS, null, new Update("faction_tour", Op.INCREMENT, 1));
    assertThat(one).isEqualTo(new Outcome(new Progress(1, REVEALED), true, false));
    Outcome same = AchievementRules.apply(FOUR_STEPS, one.progress(), new Update("faction_tour", Op.SET_AT_LEAST, 1));
    assertThat(same.changed()).isFalse();
    Outcome lower = AchievementRules.apply(FOUR_STEPS, new Progress(3, REVEALED), new Update("faction_tour", Op.SET_AT_LEAST, 2));
    assertThat(lower.changed()).isFalse();
    Outcome done = AchievementRules.apply(FOUR_STEPS, new Progress(3, REVEALED), new Update("faction_tour", Op.INCREMENT, 5));
    assertThat(done).isEqualTo(new Outcome(new Progress(4, UNLOCKED), true, true));
    assertThat(AchievementRules.apply(FOUR_STEPS, done.progress(), new Update("faction_tour", Op.INCREMENT, 1)).changed()).isFalse();
    assertThat(AchievementRules.apply(FOUR_STEPS, null, new Update("faction_tour", Op.INCREMENT, 0)).changed()).isFalse();
    assertThat(AchievementRules.apply(FOUR_STEPS, null, new Update("faction_tour", Op.UNLOCK, 0)))
      .isEqualTo(new Outcome(new Progress(4, UNLOCKED), true, true));
  }
}
