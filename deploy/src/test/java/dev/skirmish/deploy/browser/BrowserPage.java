package dev.skirmish.deploy.browser;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One browser tab driven over an attached DevTools session: navigation that completes on the page's own
 * load event, script evaluation that awaits promises, bindings the page can call, and a record of what the
 * page reported (uncaught exceptions, console output, browser log entries) for failure messages.
 */
public final class BrowserPage {

  private final CdpClient cdp;
  private final String label;
  private final String targetId;
  private final String sessionId;
  private final List<Runnable> subscriptions = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final List<String> exceptions = new ArrayList<>();
  private final Set<String> loadedLoaders = new HashSet<>();
  private final List<LoadWaiter> loadWaiters = new ArrayList<>();

  private record LoadWaiter(String loaderId, Promise<Void> promise) {
  }

  private BrowserPage(CdpClient cdp, String label, String targetId, String sessionId) {
    this.cdp = cdp;
    this.label = label;
    this.targetId = targetId;
    this.sessionId = sessionId;
  }

  /** Opens a new tab, attaches to it and loads {@code url}; completes once the page's load event fired. */
  public static Future<BrowserPage> open(CdpClient cdp, String label, String url) {
    return cdp.send("Target.createTarget", new JsonObject().put("url", "about:blank"))
      .map(r -> r.getString("targetId"))
      .compose(targetId -> cdp.send("Target.attachToTarget", new JsonObject().put("targetId", targetId).put("flatten", true))
        .map(r -> new BrowserPage(cdp, label, targetId, r.getString("sessionId"))))
      .compose(page -> page.enable().compose(v -> page.navigate(url)).map(page));
  }

  public String label() {
    return label;
  }

  private Future<Void> enable() {
    subscriptions.add(cdp.on(sessionId, "Runtime.exceptionThrown", p -> {
      String line = "uncaught: " + describe(p.getJsonObject("exceptionDetails", new JsonObject()));
      record(line);
      synchronized (this) {
        exceptions.add(line);
      }
    }));
    subscriptions.add(cdp.on(sessionId, "Runtime.consoleAPICalled", p -> {
      JsonArray args = p.getJsonArray("args", new JsonArray());
      String text = args.stream().map(a -> remoteText((JsonObject) a)).collect(Collectors.joining(" "));
      record("console." + p.getString("type") + ": " + text);
    }));
    subscriptions.add(cdp.on(sessionId, "Log.entryAdded", p -> {
      JsonObject e = p.getJsonObject("entry", new JsonObject());
      record("log " + e.getString("level") + " (" + e.getString("source") + "): " + e.getString("text")
        + (e.getString("url") == null ? "" : " [" + e.getString("url") + "]"));
    }));
    subscriptions.add(cdp.on(sessionId, "Inspector.targetCrashed", p -> record("the page crashed")));
    subscriptions.add(cdp.on(sessionId, "Page.lifecycleEvent", p -> {
      if ("load".equals(p.getString("name"))) {
        loaded(p.getString("loaderId"));
      }
    }));
    return cdp.send(sessionId, "Runtime.enable", null)
      .compose(r -> cdp.send(sessionId, "Log.enable", null))
      .compose(r -> cdp.send(sessionId, "Page.enable", null))
      .compose(r -> cdp.send(sessionId, "Page.setLifecycleEventsEnabled", new JsonObject().put("enabled", true)))
      .mapEmpty();
  }

  /**
   * Navigates and completes on the load event of exactly this navigation (matched by its loader id, so a
   * late event of the previous document does not count).
   */
  public Future<Void> navigate(String url) {
    return cdp.send(sessionId, "Page.navigate", new JsonObject().put("url", url)).compose(r -> {
      String error = r.getString("errorText");
      if (error != null) {
        return Future.failedFuture(new IllegalStateException(label + ": navigation to " + url + " failed: " + error));
      }
      return loadOf(r.getString("loaderId"));
    });
  }

  private synchronized void loaded(String loaderId) {
    loadedLoaders.add(loaderId);
    loadWaiters.removeIf(w -> {
      if (w.loaderId().equals(loaderId)) {
        w.promise().tryComplete();
        return true;
      }
      return false;
    });
  }

  private synchronized Future<Void> loadOf(String loaderId) {
    if (loaderId == null || loadedLoaders.contains(loaderId)) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    loadWaiters.add(new LoadWaiter(loaderId, p));
    return p.future();
  }

  /**
   * Evaluates {@code expression} in the page, awaiting it when it is a promise; completes with the value
   * (JSON-compatible: String, Number, Boolean, JsonObject, JsonArray or null). A thrown error or a rejected
   * promise fails the future with the page's description of it.
   */
  public Future<Object> evaluate(String expression) {
    JsonObject params = new JsonObject()
      .put("expression", expression)
      .put("awaitPromise", true)
      .put("returnByValue", true);
    return cdp.send(sessionId, "Runtime.evaluate", params).compose(r -> {
      JsonObject details = r.getJsonObject("exceptionDetails");
      if (details != null) {
        return Future.failedFuture(new PageException(label + ": " + describe(details)));
      }
      return Future.succeededFuture(r.getJsonObject("result", new JsonObject()).getValue("value"));
    });
  }

  /** Installs {@code window[name](string)} in the page; each call reaches {@code handler} with its argument. */
  public Future<Void> addBinding(String name, Handler<String> handler) {
    subscriptions.add(cdp.on(sessionId, "Runtime.bindingCalled", p -> {
      if (name.equals(p.getString("name"))) {
        handler.handle(p.getString("payload"));
      }
    }));
    return cdp.send(sessionId, "Runtime.addBinding", new JsonObject().put("name", name)).mapEmpty();
  }

  /** Uncaught exceptions the page reported so far. */
  public synchronized List<String> exceptions() {
    return List.copyOf(exceptions);
  }

  /** Everything the page reported so far, one entry per line. */
  public synchronized String log() {
    return log.isEmpty() ? "(nothing)" : String.join("\n", log);
  }

  /** Closes the tab. */
  public Future<Void> close() {
    subscriptions.forEach(Runnable::run);
    return cdp.send("Target.closeTarget", new JsonObject().put("targetId", targetId)).mapEmpty();
  }

  private synchronized void record(String line) {
    log.add(line);
  }

  private static String describe(JsonObject details) {
    JsonObject exception = details.getJsonObject("exception");
    String text = exception != null && exception.getString("description") != null
      ? exception.getString("description")
      : exception != null && exception.getValue("value") != null ? String.valueOf(exception.getValue("value"))
      : details.getString("text", "exception");
    String where = details.getString("url");
    return where == null ? text : text + " (" + where + ":" + details.getInteger("lineNumber", -1) + ")";
  }

  private static String remoteText(JsonObject remote) {
    Object value = remote.getValue("value");
    if (value != null) {
      return String.valueOf(value);
    }
    String description = remote.getString("description");
    return description != null ? description : remote.getString("type", "?");
  }

  /** An error thrown in the page, or a promise it rejected. */
  public static final class PageException extends RuntimeException {
    PageException(String message) {
      super(message);
    }
  }
}
