package dev.skirmish.deploy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import dev.skirmish.common.testing.FafClient;
import dev.skirmish.common.testing.OmegaClient;
import dev.skirmish.common.testing.TestAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.skirmish.deploy.FafTestSupport.auth;
import static dev.skirmish.deploy.FafTestSupport.hello;
import static dev.skirmish.deploy.OmegaSupport.DEMO_UGI;
import static dev.skirmish.deploy.OmegaSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No password, password digest or token ever reaches a log line: every event the node logs (all loggers, all
 * levels it emits, with arguments, stack traces and MDC) while accounts register, log in with and without
 * passwords, fail to log in and use their tokens on both protocols is scanned for those secrets (the
 * product's loggers at debug level).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class SecretsInLogsTest {

  @RegisterExtension
  @Order(1)
  static final TestNode NODE = new TestNode();

  /** Every event logged while the test runs, rendered with everything it carries. */
  private static final List<String> LOGGED = new CopyOnWriteArrayList<>();
  private static final AppenderBase<ILoggingEvent> CAPTURE = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      StringBuilder sb = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
      if (e.getArgumentArray() != null) {
        for (Object a : e.getArgumentArray()) {
          sb.append(' ').append(a);
        }
      }
      sb.append(' ').append(e.getMDCPropertyMap());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        sb.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
      }
      LOGGED.add(sb.toString());
    }
  };

  private static Level productLevel;

  @BeforeAll
  static void capture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    CAPTURE.setContext(context);
    CAPTURE.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(CAPTURE);
    // The product's own debug lines too: an operator may switch them on in production.
    Logger product = context.getLogger("dev.skirmish");
    productLevel = product.getLevel();
    product.setLevel(Level.DEBUG);
  }

  @AfterAll
  static void release() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger("dev.skirmish").setLevel(productLevel);
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(CAPTURE);
  }

  private static String sha256Hex(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  @DisplayName("register, password and token logins, failed logins and token use on both protocols log no secret")
  void noSecretIsLogged(Vertx vertx, VertxTestContext ctx) throws Exception {
    TestAccounts accounts = new TestAccounts(vertx, NODE.httpPort());
    List<String> secrets = new CopyOnWriteArrayList<>();
    int before = LOGGED.size();
    accounts.register("secrets").compose(account -> {
      String digest;
      try {
        digest = sha256Hex(account.password());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
      secrets.add(account.password());
      secrets.add(digest);
      return accounts.fafToken(account).compose(fafToken -> {
        secrets.add(fafToken);
        return accounts.omegaToken(account, null).compose(omegaToken -> {
          secrets.add(omegaToken);
          // A wrong password: its digest must not be logged either.
          String wrong;
          try {
            wrong = sha256Hex("not-" + account.password());
          } catch (Exception e) {
            return Future.failedFuture(e);
          }
          secrets.add(wrong);
          return accounts.tokenResponse(account.username(), "not-" + account.password(), "lobby")
            .compose(refused -> FafClient.webSocket(vertx, NODE.httpPort()))
            .compose(faf -> {
              faf.send(hello(account.username(), wrong));
              return faf.expect("authentication_failed").compose(f -> faf.close());
            })
            .compose(v -> FafClient.webSocket(vertx, NODE.httpPort()))
            .compose(faf -> {
              faf.send(hello(account.username(), digest));
              return faf.expect("game_info").compose(g -> faf.close());
            })
            .compose(v -> FafClient.webSocket(vertx, NODE.httpPort()))
            .compose(faf -> {
              faf.send(auth(fafToken));
              return faf.expect("game_info").compose(g -> faf.close());
            })
            .compose(v -> FafClient.webSocket(vertx, NODE.httpPort()))
            .compose(faf -> {
              // A token that fails its signature check, quoted in full by a careless error path.
              String forged = fafToken.substring(0, fafToken.length() - 4) + "AAAA";
              secrets.add(forged);
              faf.send(auth(forged));
              return faf.expect("authentication_failed").compose(f -> faf.close());
            })
            .compose(v -> OmegaClient.connect(vertx, NODE.httpPort(), path(DEMO_UGI), null))
            .compose(omega -> omega.init(omegaToken).compose(ok -> omega.close()));
        });
      });
    }).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      List<String> logged = new ArrayList<>(LOGGED.subList(before, LOGGED.size()));
      assertThat(logged).as("log events captured during the run").isNotEmpty();
      for (String secret : secrets) {
        assertThat(logged).as("log lines containing a secret").noneMatch(line -> line.contains(secret));
      }
      System.out.printf("scanned %d log events for %d secrets%n", logged.size(), secrets.size());
      ctx.completeNow();
    })));
  }
}
