package dev.skirmish.common;

import io.vertx.core.json.JsonObject;

/** Builders for FAF lobby messages shared by the gateway and the services. */
public final class Faf {

  private Faf() {
  }

  public static JsonObject command(String name) {
    return new JsonObject().put("command", name);
  }

  public static JsonObject notice(String style, String text) {
    JsonObject n = command("notice").put("style", style);
    if (text != null) {
      n.put("text", text);
    }
    return n;
  }

  public static JsonObject errorNotice(String text) {
    return notice("error", text);
  }

  public static JsonObject infoNotice(String text) {
    return notice("info", text);
  }
}
