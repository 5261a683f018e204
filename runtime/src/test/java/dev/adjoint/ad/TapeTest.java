package dev.adjoint.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TapeTest {
  @Test
  void valuesComeBackInReverseOrderPerType() {
    Tape t = new Tape();
    for (int i = 0; i < 100; i++) {
      t.push(i * 0.5);
      t.push(i);
      t.push(i % 2 == 0);
      t.pushObject("s" + i);
    }
    for (int i = 99; i >= 0; i--) {
      assertEquals("s" + i, t.popObject());
      assertEquals(i % 2 == 0, t.popBoolean());
      assertEquals(i, t.popInt());
      assertEquals(i * 0.5, t.popDouble());
    }
    assertTrue(t.isEmpty());
  }

  @Test
  void rewindDropsWhatWasPushedSinceTheMarkOnEveryStack() {
    Tape t = new Tape();
    t.push(1.0);
    t.push(7);
    t.pushObject("kept");
    for (int depth = 0; depth < 40; depth++) { // nested marks, as recursive calls make them
      t.mark();
      t.push(depth * 1.0);
      t.push((float) depth);
      t.push((long) depth);
      t.push(depth);
      t.push(true);
      t.pushObject("dropped" + depth);
    }
    for (int depth = 39; depth >= 20; depth--) t.rewind();
    for (int depth = 19; depth >= 0; depth--) { // the inner half popped by hand, then dropped
      assertEquals("dropped" + depth, t.popObject());
      assertTrue(t.popBoolean());
      assertEquals(depth, t.popInt());
      assertEquals(depth, t.popLong());
      assertEquals(depth, t.popFloat());
      assertEquals(depth, t.popDouble());
      t.dropMark();
    }
    assertEquals("kept", t.popObject());
    assertEquals(7, t.popInt());
    assertEquals(1.0, t.popDouble());
    assertTrue(t.isEmpty());
  }

  /**
   * A callee that marks the tape for its own calls and returns with those marks open: the
   * caller's rewind must drop the callee's residuals and its open marks together (it dropped
   * only back to the callee's last mark: a wrong gradient, fuzz seed 8484, S851), and the
   * callee's backward, run instead, must find its marks again.
   */
  @Test
  void aCallersRewindDropsTheMarksItsCalleeLeftOpen() {
    for (boolean skip : new boolean[] {true, false}) {
      Tape t = new Tape();
      t.push(-0.99); // the caller's own value, below the call
      int outer = t.mark();
      t.push(1.5); // the callee's residual
      t.mark(); // the callee's own call, whose fate its backward decides
      t.push(2.5);
      t.mark();
      t.push(3.5);
      t.endCall(outer);
      t.push(4.5); // the caller's value, above the call
      assertEquals(4.5, t.popDouble());
      if (skip) {
        t.rewindCall();
      } else {
        t.reopen();
        assertEquals(3.5, t.popDouble());
        t.rewind(); // the callee's inner calls: one skipped, one run
        assertEquals(2.5, t.popDouble());
        t.dropMark();
        assertEquals(1.5, t.popDouble());
        t.dropMark();
      }
      assertEquals(-0.99, t.popDouble());
      assertTrue(t.isEmpty(), "skip " + skip);
    }
  }

  @Test
  void anOpenMarkIsNotEmpty() {
    Tape t = new Tape();
    t.mark();
    assertTrue(!t.isEmpty(), "a mark left open means a reverse sweep stopped short");
    t.rewind();
    assertTrue(t.isEmpty());
  }

  @Test
  void aClosedTapeIsReusedEmptyOnTheSameThread() {
    Tape a = Tape.open();
    a.push(1.0);
    a.push(2);
    a.pushObject(new Object());
    a.close();
    Tape b = Tape.open();
    assertSame(a, b);
    assertTrue(b.isEmpty(), "what the last user left behind is gone");
    b.close();
  }

  @Test
  void nestedCallsGetTheirOwnTapes() {
    Tape outer = Tape.open();
    Tape inner = Tape.open();
    assertNotSame(outer, inner);
    inner.close();
    outer.push(3.0);
    Tape again = Tape.open(); // a second inner call reuses the first inner's tape
    assertSame(inner, again);
    again.close();
    assertEquals(3.0, outer.popDouble());
    outer.close();
  }

  @Test
  void closingTwiceKeepsTheTapeOnce() {
    Tape a = Tape.open();
    a.close();
    a.close();
    Tape first = Tape.open();
    Tape second = Tape.open();
    assertNotSame(first, second);
    first.close();
    second.close();
  }

  @Test
  void otherThreadsDoNotShareATape() throws InterruptedException {
    Tape mine = Tape.open();
    mine.close();
    Tape[] theirs = new Tape[1];
    Thread t = new Thread(() -> theirs[0] = Tape.open());
    t.start();
    t.join();
    assertNotSame(mine, theirs[0]);
    assertSame(mine, Tape.open());
  }
}
