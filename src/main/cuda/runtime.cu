// Devices, streams, host<->device copies and the caching device allocator (see torchlet_cuda.h).
#include <cuda_runtime.h>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>
#include "cuda_util.cuh"

namespace {

constexpr int kMaxDevices = 64;

struct Pools {
  std::unordered_map<int64_t, std::vector<void*>> free_blocks;  // block size -> pooled blocks
  int64_t cached = 0, reserved = 0;
};

std::mutex mutex;
// Never destroyed: JVM threads may still free tensors while static destructors run at exit.
cudaStream_t* streams = new cudaStream_t[kMaxDevices]();
Pools* pools = new Pools[kMaxDevices];

// The block size for a request: 512-byte steps below 1 MiB, four classes per power of two above.
int64_t block_size(int64_t nbytes) {
  constexpr int64_t kStep = 512, kLarge = int64_t(1) << 20;
  if (nbytes <= kStep) return kStep;
  if (nbytes < kLarge) return (nbytes + kStep - 1) / kStep * kStep;
  const int shift = 63 - __builtin_clzll(static_cast<unsigned long long>(nbytes)) - 2;
  const uint64_t quantum = uint64_t(1) << shift;
  return int64_t((uint64_t(nbytes) + quantum - 1) & ~(quantum - 1));  // wraps negative past 2^62: refused
}

bool valid_device(int dev) { return dev >= 0 && dev < kMaxDevices; }

}  // namespace

namespace tlc {

int stream(int dev, cudaStream_t* s) {
  if (!valid_device(dev)) return int(cudaErrorInvalidDevice);
  int current = -1;
  if (cudaGetDevice(&current) != cudaSuccess || current != dev) {
    if (cudaError_t e = cudaSetDevice(dev)) return int(e);
  }
  cudaStream_t made = __atomic_load_n(&streams[dev], __ATOMIC_ACQUIRE);
  if (made == nullptr) {
    std::lock_guard<std::mutex> lock(mutex);
    made = streams[dev];
    if (made == nullptr) {
      if (cudaError_t e = cudaStreamCreateWithFlags(&made, cudaStreamNonBlocking)) return int(e);
      __atomic_store_n(&streams[dev], made, __ATOMIC_RELEASE);
    }
  }
  *s = made;
  return 0;
}

}  // namespace tlc

int tlc_device_count() {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return -int(e);
  }
  return n;
}

const char* tlc_error_string(int code) {
  switch (code) {
    case TLC_CUBLAS_MISSING: return "cuBLAS is not loaded";
    case TLC_TOO_LARGE: return "a size exceeds the 2^31-1 limit of the CUDA kernels and cuBLAS";
    default: break;
  }
  if (code >= TLC_CUBLAS_ERROR && code < TLC_CUBLAS_ERROR + 100000) {
    switch (code - TLC_CUBLAS_ERROR) {  // cublasStatus_t
      case 1: return "CUBLAS_STATUS_NOT_INITIALIZED";
      case 3: return "CUBLAS_STATUS_ALLOC_FAILED";
      case 7: return "CUBLAS_STATUS_INVALID_VALUE";
      case 8: return "CUBLAS_STATUS_ARCH_MISMATCH";
      case 11: return "CUBLAS_STATUS_MAPPING_ERROR";
      case 13: return "CUBLAS_STATUS_EXECUTION_FAILED";
      case 14: return "CUBLAS_STATUS_INTERNAL_ERROR";
      case 15: return "CUBLAS_STATUS_NOT_SUPPORTED";
      case 16: return "CUBLAS_STATUS_LICENSE_ERROR";
      default: return "CUBLAS_STATUS_UNKNOWN_ERROR";
    }
  }
  return cudaGetErrorString(cudaError_t(code));
}

const char* tlc_device_name(int dev) {
  static thread_local std::string name;
  cudaDeviceProp prop;
  if (cudaGetDeviceProperties(&prop, dev) != cudaSuccess) {
    cudaGetLastError();
    return "";
  }
  name = prop.name;
  return name.c_str();
}

int tlc_synchronize(int dev) {
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  return int(cudaStreamSynchronize(s));
}

int tlc_memcpy_h2d(int dev, int64_t dst, int64_t host_src, int64_t nbytes) {
  if (nbytes == 0) return 0;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  if (cudaError_t e = cudaMemcpyAsync(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(host_src),
                                      size_t(nbytes), cudaMemcpyHostToDevice, s)) return int(e);
  return int(cudaStreamSynchronize(s));  // the host buffer may be freed as soon as we return
}

int tlc_memcpy_d2h(int dev, int64_t host_dst, int64_t src, int64_t nbytes) {
  if (nbytes == 0) return 0;
  cudaStream_t s;
  if (int e = tlc::stream(dev, &s)) return e;
  if (cudaError_t e = cudaMemcpyAsync(reinterpret_cast<void*>(host_dst), reinterpret_cast<const void*>(src),
                                      size_t(nbytes), cudaMemcpyDeviceToHost, s)) return int(e);
  return int(cudaStreamSynchronize(s));
}

// ---------------------------------------------------------------------------------------- allocator

int64_t tlc_alloc(int dev, int64_t nbytes) {
  const int64_t size = block_size(nbytes);
  if (size <= 0 || !valid_device(dev)) return 0;
  cudaStream_t s;
  if (tlc::stream(dev, &s) != 0) return 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = pools[dev].free_blocks.find(size);
    if (it != pools[dev].free_blocks.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      pools[dev].cached -= size;
      return reinterpret_cast<int64_t>(p);
    }
  }
  void* p = nullptr;
  if (cudaMalloc(&p, size_t(size)) != cudaSuccess) {
    cudaGetLastError();  // out of memory is not sticky: clear it
    return 0;
  }
  std::lock_guard<std::mutex> lock(mutex);
  pools[dev].reserved += size;
  return reinterpret_cast<int64_t>(p);
}

void tlc_free(int dev, int64_t addr, int64_t nbytes) {
  if (addr == 0 || !valid_device(dev)) return;
  const int64_t size = block_size(nbytes);
  std::lock_guard<std::mutex> lock(mutex);
  pools[dev].free_blocks[size].push_back(reinterpret_cast<void*>(addr));
  pools[dev].cached += size;
}

void tlc_empty_cache(int dev) {
  if (!valid_device(dev)) return;
  cudaStream_t s;
  if (tlc::stream(dev, &s) != 0) return;
  std::lock_guard<std::mutex> lock(mutex);
  for (auto& entry : pools[dev].free_blocks) {
    for (void* p : entry.second) {
      cudaFree(p);  // waits for the device: no enqueued kernel still uses the block
      pools[dev].reserved -= entry.first;
    }
    entry.second.clear();
  }
  pools[dev].cached = 0;
  cudaGetLastError();
}

int64_t tlc_cached_bytes(int dev) {
  if (!valid_device(dev)) return 0;
  std::lock_guard<std::mutex> lock(mutex);
  return pools[dev].cached;
}

int64_t tlc_reserved_bytes(int dev) {
  if (!valid_device(dev)) return 0;
  std::lock_guard<std::mutex> lock(mutex);
  return pools[dev].reserved;
}
