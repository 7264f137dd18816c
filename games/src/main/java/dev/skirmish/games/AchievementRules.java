package dev.skirmish.games;

import java.util.ArrayList;
import java.util.List;

/**
 * Which achievements a finished game advances, and how an achievement's progress changes; pure functions
 * over the game's statistics (the definitions live in {@code achievement_definition}):
 *
 * <ul>
 *   <li>{@value #FIRST_VICTORY} (standard): the player's army won;</li>
 *   <li>{@value #INDUSTRIALIST} (standard): {@value #INDUSTRIALIST_UNITS} or more units built in the game;</li>
 *   <li>{@value #COMMANDER_HUNTER} (incremental, 10): one step per enemy commander destroyed;</li>
 *   <li>{@value #FACTION_TOUR} (incremental, 4): the steps are the number of the four factions the player
 *   has played in games whose statistics count.</li>
 * </ul>
 */
final class AchievementRules {

  static final String FIRST_VICTORY = "first_victory";
  static final String INDUSTRIALIST = "industrialist";
  static final String COMMANDER_HUNTER = "commander_hunter";
  static final String FACTION_TOUR = "faction_tour";
  static final int INDUSTRIALIST_UNITS = 100;

  static final String REVEALED = "REVEALED";
  static final String UNLOCKED = "UNLOCKED";

  private AchievementRules() {
  }

  enum Op { UNLOCK, INCREMENT, SET_AT_LEAST }

  /** A change to one achievement. */
  record Update(String achievement, Op op, int steps) {
  }

  /** An achievement's definition: {@code totalSteps} is null for a standard one. */
  record Definition(String id, Integer totalSteps) {
    boolean incremental() {
      return totalSteps != null;
    }
  }

  /** A player's progress on one achievement ({@code steps} null for a standard one). */
  record Progress(Integer steps, String state) {
    static final Progress NONE = new Progress(null, null);

    boolean unlocked() {
      return UNLOCKED.equals(state);
    }
  }

  /** A progress after an update: {@code changed} when it differs from before. */
  record Outcome(Progress progress, boolean changed, boolean newlyUnlocked) {
  }

  /**
   * The updates a game fires for one player's army.
   *
   * @param outcome        the army's result (VICTORY, DEFEAT, DRAW, MUTUAL_DRAW)
   * @param factionsPlayed how many of the four factions the player has played, this game included
   */
  static List<Update> fired(ArmyStats.Army army, String outcome, int factionsPlayed) {
    List<Update> updates = new ArrayList<>();
    if (Results.VICTORY.equals(outcome)) {
      updates.add(new Update(FIRST_VICTORY, Op.UNLOCK, 0));
    }
    if (army.unitsBuilt() >= INDUSTRIALIST_UNITS) {
      updates.add(new Update(INDUSTRIALIST, Op.UNLOCK, 0));
    }
    if (army.commanderKills() > 0) {
      updates.add(new Update(COMMANDER_HUNTER, Op.INCREMENT, army.commanderKills()));
    }
    if (factionsPlayed > 0) {
      updates.add(new Update(FACTION_TOUR, Op.SET_AT_LEAST, factionsPlayed));
    }
    return updates;
  }

  /** Applies {@code update} to {@code current} progress on {@code definition}. */
  static Outcome apply(Definition definition, Progress current, Update update) {
    Progress before = current == null ? Progress.NONE : current;
    if (before.unlocked()) {
      return new Outcome(before, false, false);
    }
    Progress after;
    if (!definition.incremental()) {
      if (update.op() != Op.UNLOCK) {
        return new Outcome(before, false, false);
      }
      after = new Progress(null, UNLOCKED);
    } else {
      int total = definition.totalSteps();
      int steps = before.steps() == null ? 0 : before.steps();
      int next = switch (update.op()) {
        case UNLOCK -> total;
        case INCREMENT -> steps + Math.max(0, update.steps());
        case SET_AT_LEAST -> Math.max(steps, update.steps());
      };
      next = Math.min(total, Math.max(0, next));
      after = new Progress(next, next >= total ? UNLOCKED : REVEALED);
      if (next == steps && before.state() != null) {
        return new Outcome(before, false, false);
      }
      if (next == 0) {
        return new Outcome(before, false, false);
      }
    }
    return new Outcome(after, true, after.unlocked());
  }
}
