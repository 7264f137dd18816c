package dev.skirmish.party;

import dev.skirmish.common.DocumentStore.Change;
import dev.skirmish.common.Failures;
import dev.skirmish.common.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The party rules as pure functions over the party document. None of them has side effects: each returns
 * the next document (null = unchanged) and the messages to send once that document is stored.
 *
 * <p>Document: {@code {"parties": {"<owner>": {"owner": id, "members": [{"player": id, "factions": [..]}],
 * "invites": {"<recipient>": expiresAtMillis}}}, "factions": {"<player>": [..]}}}. A party is keyed by its
 * owner (ownership never moves); {@code factions} remembers the choice of players outside any party.
 */
final class Parties {

  static final List<String> FACTIONS = List.of("uef", "aeon", "cybran", "seraphim");

  private Parties() {
  }

  /**
   * The caps of one account's party: members (its owner included) and pending invites.
   *
   * @param members most members of a party
   * @param invites most pending invites of a party owner
   */
  record Limits(int members, int invites) {
  }

  /** One message for one player. */
  record Push(int player, JsonObject message) {
  }

  /** What a command did: the messages to send, or the failure to answer the caller with. */
  record Outcome(List<Push> pushes, ServiceException error) {

    static Outcome of(List<Push> pushes) {
      return new Outcome(pushes, null);
    }

    static Outcome fail(int code, String text) {
      return new Outcome(List.of(), new ServiceException(code, text));
    }
  }

  static JsonObject emptyDocument() {
    return new JsonObject().put("parties", new JsonObject()).put("factions", new JsonObject());
  }

  /**
   * The status section for the operator console: {@code {parties: n, members: n, list: [{owner, members: [ids],
   * invites: n}]}}, the list cut at {@code maxItems}.
   */
  static JsonObject status(JsonObject doc, int maxItems) {
    JsonObject all = parties(doc);
    JsonArray list = new JsonArray();
    int members = 0;
    for (String owner : all.fieldNames()) {
      JsonObject party = all.getJsonObject(owner);
      JsonArray ids = new JsonArray();
      for (Object m : party.getJsonArray("members", new JsonArray())) {
        ids.add(((JsonObject) m).getValue("player"));
      }
      members += ids.size();
      if (list.size() < maxItems) {
        list.add(new JsonObject().put("owner", party.getValue("owner")).put("members", ids)
          .put("invites", party.getJsonObject("invites", new JsonObject()).size()));
      }
    }
    return new JsonObject().put("parties", all.size()).put("members", members).put("list", list);
  }

  static boolean isEmpty(JsonObject doc) {
    return parties(doc).isEmpty() && doc.getJsonObject("factions", new JsonObject()).isEmpty();
  }

  // ---- commands -------------------------------------------------------------------------------------

  /**
   * {@code invite_to_party}: the sender's party (created if needed) invites {@code recipient}. A full party
   * cannot invite, and an owner has at most {@link Limits#invites()} invites pending (inviting the same
   * player again renews that invite).
   */
  static Change<Outcome> invite(JsonObject current, int sender, int recipient, long now, long ttlMs, Limits limits) {
    JsonObject doc = normalized(current);
    Integer owner = partyOf(doc, sender);
    if (owner != null && owner != sender) {
      return failure(Failures.FORBIDDEN, "You can't invite players: you aren't the owner of your party.");
    }
    JsonObject party = owner == null ? createParty(doc, sender) : party(doc, sender);
    JsonObject invites = party.getJsonObject("invites");
    invites.fieldNames().removeIf(k -> invites.getLong(k) <= now);
    if (party.getJsonArray("members").size() >= limits.members()) {
      return failure(Failures.CONFLICT, "Your party is full (" + limits.members() + " players).");
    }
    if (!invites.containsKey(String.valueOf(recipient)) && invites.size() >= limits.invites()) {
      return failure(Failures.CONFLICT, "You have " + invites.size()
        + " party invites waiting for an answer; invite more players once they have answered or their invites expired.");
    }
    invites.put(String.valueOf(recipient), now + ttlMs);
    List<Push> pushes = new ArrayList<>(updateToAll(party));
    pushes.add(new Push(recipient, new JsonObject().put("command", "party_invite").put("sender", sender)));
    return new Change<>(doc, Outcome.of(pushes));
  }

  /**
   * {@code accept_party_invite}: leave the old party (keeping one's factions) and join the sender's, unless
   * it is full.
   */
  static Change<Outcome> accept(JsonObject current, int recipient, int sender, long now, Limits limits) {
    JsonObject doc = normalized(current);
    JsonObject party = party(doc, sender);
    Long expires = party == null ? null : party.getJsonObject("invites").getLong(String.valueOf(recipient));
    if (party != null && isMember(party, recipient)) {
      return new Change<>(null, Outcome.of(List.of(new Push(recipient, update(party)))));
    }
    if (expires == null || expires <= now) {
      return failure(Failures.NOT_FOUND, "You are not invited to that party, or the invite has expired.");
    }
    if (party.getJsonArray("members").size() >= limits.members()) {
      return failure(Failures.CONFLICT, "That party is full (" + limits.members() + " players).");
    }
    JsonArray factions = factionsOf(doc, recipient);
    List<Push> pushes = new ArrayList<>(leaveParty(doc, recipient, false));
    party.getJsonObject("invites").remove(String.valueOf(recipient));
    doc.getJsonObject("factions").remove(String.valueOf(recipient));
    party.getJsonArray("members").add(member(recipient, factions));
    pushes.addAll(updateToAll(party));
    return new Change<>(doc, Outcome.of(pushes));
  }

  /** {@code kick_player_from_party}: the owner removes a member. */
  static Change<Outcome> kick(JsonObject current, int kicker, int kicked) {
    JsonObject doc = normalized(current);
    Integer owner = partyOf(doc, kicker);
    if (owner == null) {
      return failure(Failures.CONFLICT, "You are not in a party.");
    }
    if (owner != kicker) {
      return failure(Failures.FORBIDDEN, "You can't kick players: you aren't the owner of your party.");
    }
    if (kicked == kicker) {
      return failure(Failures.BAD_REQUEST, "You can't kick yourself; leave the party instead.");
    }
    JsonObject party = party(doc, owner);
    if (!isMember(party, kicked)) {
      return new Change<>(null, Outcome.of(List.of(new Push(kicker, update(party)))));
    }
    JsonArray factions = removeMember(party, kicked);
    rememberFactions(doc, kicked, factions);
    List<Push> pushes = new ArrayList<>();
    pushes.add(new Push(kicked, new JsonObject().put("command", "kicked_from_party")));
    pushes.addAll(updateToAll(party));
    return new Change<>(doc, Outcome.of(pushes));
  }

  /** {@code leave_party}: an owner disbands the party; a member leaves it. */
  static Change<Outcome> leave(JsonObject current, int player) {
    JsonObject doc = normalized(current);
    if (partyOf(doc, player) == null) {
      return failure(Failures.CONFLICT, "You are not in a party.");
    }
    return new Change<>(doc, Outcome.of(leaveParty(doc, player, true)));
  }

  /** {@code set_party_factions}: the player's factions, in their party (created if needed). */
  static Change<Outcome> setFactions(JsonObject current, int player, List<String> factions) {
    JsonObject doc = normalized(current);
    Integer owner = partyOf(doc, player);
    JsonObject party = owner == null ? createParty(doc, player) : party(doc, owner);
    for (Object o : party.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      if (m.getInteger("player") == player) {
        m.put("factions", new JsonArray(new ArrayList<>(factions)));
      }
    }
    doc.getJsonObject("factions").remove(String.valueOf(player));
    return new Change<>(doc, Outcome.of(updateToAll(party)));
  }

  /** The player went offline: leave (or disband) their party, and forget their invites and factions. */
  static Change<Outcome> offline(JsonObject current, int player) {
    JsonObject doc = normalized(current);
    boolean changed = partyOf(doc, player) != null;
    List<Push> pushes = new ArrayList<>();
    if (changed) {
      for (Push p : leaveParty(doc, player, false)) {
        if (p.player() != player) {
          pushes.add(p);
        }
      }
    }
    String key = String.valueOf(player);
    for (String owner : parties(doc).fieldNames()) {
      changed |= party(doc, Integer.parseInt(owner)).getJsonObject("invites").remove(key) != null;
    }
    changed |= doc.getJsonObject("factions").remove(key) != null;
    return new Change<>(changed ? doc : null, Outcome.of(pushes));
  }

  /**
   * Parses the factions of {@code set_party_factions}: names or numbers 1..4, de-duplicated in order.
   * @throws ServiceException (400) when empty, not a list, or naming an unknown faction
   */
  static List<String> parseFactions(Object value) {
    if (!(value instanceof JsonArray list)) {
      throw new ServiceException(Failures.BAD_REQUEST, "set_party_factions needs a list of factions.");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object f : list) {
      if (f instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= 1 && n.intValue() <= FACTIONS.size()) {
        out.add(FACTIONS.get(n.intValue() - 1));
      } else if (f instanceof String s && FACTIONS.contains(s.toLowerCase(Locale.ROOT))) {
        out.add(s.toLowerCase(Locale.ROOT));
      } else {
        throw new ServiceException(Failures.BAD_REQUEST, "Unknown faction: " + f);
      }
    }
    if (out.isEmpty()) {
      throw new ServiceException(Failures.BAD_REQUEST, "Choose at least one faction.");
    }
    return List.copyOf(out);
  }

  /** The {@code update_party} message of a party. */
  static JsonObject update(JsonObject party) {
    JsonArray members = new JsonArray();
    for (Object o : party.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      members.add(member(m.getInteger("player"), m.getJsonArray("factions")));
    }
    return new JsonObject().put("command", "update_party").put("owner", party.getInteger("owner")).put("members", members);
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  private static Change<Outcome> failure(int code, String text) {
    return new Change<>(null, Outcome.fail(code, text));
  }

  /**
   * Removes {@code player} from their party (mutating {@code doc}). An owner disbands it: every ex-member
   * gets an empty party. A member leaves: the others get the new state and, with {@code notifyLeaver}, the
   * leaver gets their own solo state.
   */
  private static List<Push> leaveParty(JsonObject doc, int player, boolean notifyLeaver) {
    Integer owner = partyOf(doc, player);
    if (owner == null) {
      return List.of();
    }
    JsonObject party = party(doc, owner);
    List<Push> pushes = new ArrayList<>();
    if (owner == player) {
      parties(doc).remove(String.valueOf(owner));
      JsonObject disbanded = new JsonObject().put("command", "update_party").put("owner", owner).put("members", new JsonArray());
      for (Object o : party.getJsonArray("members")) {
        JsonObject m = (JsonObject) o;
        rememberFactions(doc, m.getInteger("player"), m.getJsonArray("factions"));
        if (notifyLeaver || m.getInteger("player") != player) {
          pushes.add(new Push(m.getInteger("player"), disbanded.copy()));
        }
      }
      return pushes;
    }
    JsonArray factions = removeMember(party, player);
    rememberFactions(doc, player, factions);
    pushes.addAll(updateToAll(party));
    if (notifyLeaver) {
      pushes.add(new Push(player, new JsonObject().put("command", "update_party").put("owner", player)
        .put("members", new JsonArray().add(member(player, factions)))));
    }
    return pushes;
  }

  private static List<Push> updateToAll(JsonObject party) {
    JsonObject update = update(party);
    List<Push> pushes = new ArrayList<>();
    for (Object o : party.getJsonArray("members")) {
      pushes.add(new Push(((JsonObject) o).getInteger("player"), update.copy()));
    }
    return pushes;
  }

  private static JsonObject createParty(JsonObject doc, int owner) {
    JsonObject party = new JsonObject().put("owner", owner)
      .put("members", new JsonArray().add(member(owner, factionsOf(doc, owner))))
      .put("invites", new JsonObject());
    parties(doc).put(String.valueOf(owner), party);
    doc.getJsonObject("factions").remove(String.valueOf(owner));
    return party;
  }

  private static JsonObject member(int player, JsonArray factions) {
    return new JsonObject().put("player", player).put("factions", factions.copy());
  }

  /** Removes a member and returns their factions. */
  private static JsonArray removeMember(JsonObject party, int player) {
    JsonArray members = party.getJsonArray("members");
    for (int i = 0; i < members.size(); i++) {
      if (members.getJsonObject(i).getInteger("player") == player) {
        return ((JsonObject) members.remove(i)).getJsonArray("factions");
      }
    }
    return defaultFactions();
  }

  /** Keeps a player's factions for their next party, unless they are the default ones. */
  private static void rememberFactions(JsonObject doc, int player, JsonArray factions) {
    if (factions != null && !factions.equals(defaultFactions())) {
      doc.getJsonObject("factions").put(String.valueOf(player), factions.copy());
    }
  }

  private static JsonArray factionsOf(JsonObject doc, int player) {
    Integer owner = partyOf(doc, player);
    if (owner != null) {
      for (Object o : party(doc, owner).getJsonArray("members")) {
        JsonObject m = (JsonObject) o;
        if (m.getInteger("player") == player) {
          return m.getJsonArray("factions").copy();
        }
      }
    }
    JsonArray kept = doc.getJsonObject("factions").getJsonArray(String.valueOf(player));
    return kept == null ? defaultFactions() : kept.copy();
  }

  private static JsonArray defaultFactions() {
    return new JsonArray(new ArrayList<>(FACTIONS));
  }

  /** The owner of the party {@code player} is in, or null. */
  static Integer partyOf(JsonObject doc, int player) {
    JsonObject parties = parties(doc);
    for (String owner : parties.fieldNames()) {
      if (isMember(parties.getJsonObject(owner), player)) {
        return Integer.parseInt(owner);
      }
    }
    return null;
  }

  private static boolean isMember(JsonObject party, int player) {
    for (Object o : party.getJsonArray("members")) {
      if (((JsonObject) o).getInteger("player") == player) {
        return true;
      }
    }
    return false;
  }

  private static JsonObject party(JsonObject doc, int owner) {
    return parties(doc).getJsonObject(String.valueOf(owner));
  }

  /** The number of parties in a parties document. */
  static long count(JsonObject doc) {
    JsonObject parties = parties(doc);
    return parties == null ? 0 : parties.size();
  }

  private static JsonObject parties(JsonObject doc) {
    return doc.getJsonObject("parties");
  }

  private static JsonObject normalized(JsonObject current) {
    JsonObject doc = current.copy();
    if (doc.getJsonObject("parties") == null) {
      doc.put("parties", new JsonObject());
    }
    if (doc.getJsonObject("factions") == null) {
      doc.put("factions", new JsonObject());
    }
    return doc;
  }
}
