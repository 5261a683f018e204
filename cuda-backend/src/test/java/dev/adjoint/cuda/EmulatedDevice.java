package dev.adjoint.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link DeviceApi} over the CPU emulator of the kernels ({@code src/test/emulator}), a child
 * process that runs the very .cu sources the PTX is made from. Selected with
 * {@code -Dadjoint.cuda.api=dev.adjoint.cuda.EmulatedDevice}; the binary is found at
 * {@code adjoint.cuda.emulator} (default {@code target/emulator/adjoint-emulator}).
 * It reports 4 multiprocessors, so that grids are small and grid-stride loops and split-K run.
 */
public final class EmulatedDevice implements DeviceApi {
  static final String BINARY = "target/emulator/adjoint-emulator";
  private final Process process;
  private final OutputStream out;
  private final DataInputStream in;
  private final Path stderr;

  public EmulatedDevice() {
    Path binary = Path.of(System.getProperty("adjoint.cuda.emulator", BINARY));
    if (!Files.isExecutable(binary)) {
      throw new CudaUnavailableException("the emulator " + binary + " is not built (run "
          + "cuda-backend/src/test/emulator/build.sh)", null);
    }
    try {
      stderr = Files.createTempFile("adjoint-emulator", ".log");
      process = new ProcessBuilder(binary.toString()).redirectError(stderr.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
    in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
  }

  @Override
  public String describe() {
    return "CPU emulator of the kernels (4 SMs)";
  }

  @Override
  public int multiprocessors() {
    return 4;
  }

  @Override
  public long totalMemory() {
    return 4L << 30;
  }

  @Override
  public synchronized long allocate(long bytes) {
    send(header('A', 8).putLong(bytes));
    return readLong();
  }

  @Override
  public synchronized void free(long address) {
    send(header('F', 8).putLong(address));
  }

  @Override
  public synchronized void upload(long address, Object array, int count) {
    ByteBuffer data = bytes(array, count);
    send(header('U', 16).putLong(address).putLong(data.capacity()));
    write(data.array());
  }

  @Override
  public synchronized void download(long address, Object array, int count) {
    int size = count * (array instanceof float[] ? 4 : 8);
    send(header('D', 16).putLong(address).putLong(size));
    byte[] b = new byte[size];
    readFully(b);
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    if (array instanceof float[]) {
      buf.asFloatBuffer().get((float[]) array, 0, count);
    } else if (array instanceof double[]) {
      buf.asDoubleBuffer().get((double[]) array, 0, count);
    } else {
      buf.asLongBuffer().get((long[]) array, 0, count);
    }
  }

  @Override
  public synchronized void memset(long address, int value, long bytes) {
    send(header('M', 20).putLong(address).putInt(value & 0xff).putLong(bytes));
  }

  @Override
  public synchronized void copy(long dst, long src, long bytes) {
    send(header('C', 24).putLong(dst).putLong(src).putLong(bytes));
  }

  @Override
  public Object loadModule(String name, String ptx) {
    return name;
  }

  @Override
  public synchronized Object function(Object module, String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    send(header('K', 2 + n.length).putShort((short) n.length).put(n));
    if (readByte() != 1) {
      throw new IllegalStateException("CUDA: kernel " + name + " is not in its module ("
          + "emulator)");
    }
    return name;
  }

  @Override
  public synchronized void launch(Object function, Launch l, byte[] params) {
    byte[] n = ((String) function).getBytes(StandardCharsets.US_ASCII);
    send(header('L', 2 + n.length + 28 + params.length).putShort((short) n.length).put(n)
        .putInt(l.gridX()).putInt(l.gridY()).putInt(l.gridZ()).putInt(l.blockX())
        .putInt(l.blockY()).putInt(l.blockZ()).putInt(params.length).put(params));
  }

  @Override
  public synchronized void synchronize() {
    send(header('S', 0));
    readByte();
  }

  private static ByteBuffer header(char op, int size) {
    return ByteBuffer.allocate(1 + size).order(ByteOrder.LITTLE_ENDIAN).put((byte) op);
  }

  private void send(ByteBuffer b) {
    write(b.array());
  }

  private void write(byte[] b) {
    try {
      out.write(b);
    } catch (IOException e) {
      throw died(e);
    }
  }

  private long readLong() {
    byte[] b = new byte[8];
    readFully(b);
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private int readByte() {
    byte[] b = new byte[1];
    readFully(b);
    return b[0];
  }

  private void readFully(byte[] b) {
    try {
      out.flush();
      in.readFully(b);
    } catch (IOException e) {
      throw died(e);
    }
  }

  private IllegalStateException died(IOException e) {
    String log;
    try {
      process.waitFor();
      log = Files.readString(stderr);
    } catch (IOException | InterruptedException x) {
      log = "(no log: " + x + ")";
    }
    return new IllegalStateException("the kernel emulator stopped: " + log.trim(), e);
  }

  private static ByteBuffer bytes(Object array, int count) {
    ByteBuffer b;
    if (array instanceof float[]) {
      b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put((float[]) array, 0, count);
    } else if (array instanceof double[]) {
      b = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
      b.asDoubleBuffer().put((double[]) array, 0, count);
    } else {
      b = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
      b.asLongBuffer().put((long[]) array, 0, count);
    }
    return b;
  }

}
