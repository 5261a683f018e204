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
