package dev.adjoint.cuda;

import dev.adjoint.tensor.DType;
import dev.adjoint.tensor.Device;
import dev.adjoint.tensor.Storage;

/**
 * A block of device memory holding {@code length} elements. Views of a tensor share one; its
 * block returns to the {@link CachingAllocator} when no tensor refers to it any more.
 */
final class CudaStorage implements Storage {
  private final DType dtype;
  private final int length;
  final long address;
  /** The allocator's handle on this block; null once released. */
  Object ref;
  /**
   * A one-element upload (a scalar operand) keeps its value here, as raw bits: binary kernels
   * take it as a parameter, and the device copy is queued only if a kernel reads the storage
   * ({@link #ready}).
   */
  boolean constant;
  long constantBits;
  private CudaRuntime pendingOn;

  void deferConstant(long bits, CudaRuntime rt) {
    constant = true;
    constantBits = bits;
    pendingOn = rt;
  }

  /** The device address, after queuing the copy of a deferred constant. */
  synchronized long ready() {
    if (pendingOn != null) {
      pendingOn.storeConstant(this);
      pendingOn = null;
    }
    return address;
  }

  CudaStorage(DType dtype, int length, long address) {
    this.dtype = dtype;
    this.length = length;
    this.address = address;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Device device() {
    return Device.CUDA;
  }

  @Override
  public int length() {
    return length;
  }

  /** The device address of element {@code index}. */
  long at(int index) {
    return address + (long) index * dtype.bytes();
  }

  @Override
  public String toString() {
    return "CudaStorage(" + dtype + " x " + length + " at 0x" + Long.toHexString(address) + ")";
  }
}
