package dev.skirmish.matchmaker.algorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PopTimerTest {

  @Test
  void firstPopIsHalfTheMaximum() {
    assertThat(new PopTimer(1).firstPopSeconds()).isEqualTo(45);
    assertThat(new PopTimer(1).nextPopSeconds()).isEqualTo(45);
    assertThat(new PopTimer(new PopTimer.Config(10, 1, 2.5, 5), 2).firstPopSeconds()).isEqualTo(5);
  }

  @Test
  void aimsAtTheDesiredNumberOfPlayers() {
    PopTimer t = new PopTimer(1);
    // 2.5 · 2 · 1 · 50 s / 10 players
    assertThat(t.recordPop(10, 50)).isCloseTo(25, within(1e-9));
    PopTimer four = new PopTimer(4);
    // 2.5 · 2 · 4 · 60 s / 40 players
    assertThat(four.recordPop(40, 60)).isCloseTo(30, within(1e-9));
  }

  @Test
  void cappedAtMaximumAlsoWhenNobodyQueued() {
    assertThat(new PopTimer(1).recordPop(0, 10)).isEqualTo(90);
    assertThat(new PopTimer(1).recordPop(1, 90)).isEqualTo(90);
  }

  @Test
  void flooredAtMinimum() {
    assertThat(new PopTimer(1).recordPop(100, 10)).isEqualTo(15);
    assertThat(new PopTimer(1).recordPop(5, -30)).isEqualTo(15);
    assertThat(new PopTimer(1).recordPop(5, Double.NaN)).isEqualTo(15);
  }

  @Test
  void onlyTheLastPopsCount() {
    PopTimer t = new PopTimer(2);
    assertThat(t.recordPop(1, 1000)).isEqualTo(90);
    for (int i = 0; i < 4; i++) {
      t.recordPop(10, 40);
    }
    // Still includes the slow first pop: 10 · 1160 / 41.
    assertThat(t.nextPopSeconds()).isEqualTo(90);
    // 10 desired players · 200 s / 50 players once it has dropped out.
    assertThat(t.recordPop(10, 40)).isCloseTo(40, within(1e-9));
  }

  @Test
  void configurableHistoryAndBounds() {
    PopTimer t = new PopTimer(new PopTimer.Config(20, 2, 1, 1), 1);
    assertThat(t.recordPop(2, 10)).isCloseTo(10, within(1e-9));
    assertThat(t.recordPop(20, 10)).isEqualTo(2);
    assertThat(t.recordPop(1, 100)).isEqualTo(20);
    assertThatThrownBy(() -> new PopTimer.Config(10, 20, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PopTimer(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
