/**
 * The CUDA backend: {@link dev.adjoint.cuda.CudaBackend} serves {@code Device.CUDA} through
 * JCuda's driver API and kernels of its own (PTX in this jar), with a caching allocator and one
 * stream. {@link dev.adjoint.cuda.Cuda} holds the settings (TF32) and memory counters.
 */
package dev.adjoint.cuda;
