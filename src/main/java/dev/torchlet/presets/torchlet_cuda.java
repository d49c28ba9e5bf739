package dev.torchlet.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * JavaCPP properties of libtorchlet_cuda, the CUDA kernels built by CMake from src/main/cuda when nvcc is
 * present. It links the CUDA runtime statically and opens cuBLAS itself at run time, so nothing else is loaded
 * with it; it is loaded only when a program first uses a CUDA device.
 */
@Properties(value = @Platform(include = "torchlet_cuda.h", link = "torchlet_cuda"))
public class torchlet_cuda {
}
