/**
 * The CUDA backend over JCuda's driver API. Empty until the tensor backend SPI exists; see
 * README.md ("Status").
 */
package dev.adjoint.cuda;
