// Files: copy-on-write memory maps (zero-copy tensor loading) and decoding of raw safetensors elements.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstring>
#include "torchlet.h"

namespace {

int64_t page_size() {
  static const int64_t size = sysconf(_SC_PAGESIZE);
  return size;
}

template <typename T>
T load(const unsigned char* p) {  // unaligned little-endian read (x86-64 is little-endian)
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// IEEE half to float, exact, NaN payloads kept.
float half_to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);  // inf, NaN
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);  // normal: rebias 15 -> 127
  } else if (mant == 0) {
    bits = sign;  // +-0
  } else {  // subnormal half: normalize
    int shift = 0;
    while ((mant & 0x400u) == 0) {
      mant <<= 1;
      shift++;
    }
    mant &= 0x3ffu;
    bits = sign | (uint32_t(113 - shift) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bf16_to_float(uint16_t h) {
  const uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <typename S, typename D, typename F>
void widen(const unsigned char* src, D* dst, int64_t n, F convert) {
  for (int64_t i = 0; i < n; i++) dst[i] = convert(load<S>(src + i * int64_t(sizeof(S))));
}

}  // namespace

int64_t tl_map_file(const char* path, int64_t offset, int64_t length, int64_t expected_size) {
  if (offset < 0 || length <= 0) return -EINVAL;
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  if (expected_size >= 0) {
    struct stat st;
    if (fstat(fd, &st) != 0) {
      const int err = errno;
      close(fd);
      return -err;
    }
    if (int64_t(st.st_size) != expected_size) {
      close(fd);
      return -ESTALE;
    }
  }
  const int64_t start = offset & ~(page_size() - 1);
  const int64_t delta = offset - start;
  void* base = mmap(nullptr, size_t(length + delta), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, off_t(start));
  const int err = errno;
  close(fd);  // the mapping keeps the file
  if (base == MAP_FAILED) return -err;
  return reinterpret_cast<int64_t>(base) + delta;
}

int tl_unmap(int64_t addr, int64_t length) {
  const int64_t start = addr & ~(page_size() - 1);
  return munmap(reinterpret_cast<void*>(start), size_t(length + (addr - start))) == 0 ? 0 : -errno;
}

const char* tl_strerror(int errnum) { return strerror(errnum); }

void tl_decode(int raw, int64_t src_addr, int dst_dt, int64_t dst_addr, int64_t n) {
  const auto* src = reinterpret_cast<const unsigned char*>(src_addr);
  switch (raw) {
    case TL_RAW_F32:
    case TL_RAW_F64:
    case TL_RAW_I64:
      std::memcpy(reinterpret_cast<void*>(dst_addr), src, size_t(n) * (raw == TL_RAW_F32 ? 4 : 8));
      return;
    case TL_RAW_F16:
      widen<uint16_t>(src, reinterpret_cast<float*>(dst_addr), n, half_to_float);
      return;
    case TL_RAW_BF16:
      widen<uint16_t>(src, reinterpret_cast<float*>(dst_addr), n, bf16_to_float);
      return;
    case TL_RAW_BOOL:
      widen<uint8_t>(src, reinterpret_cast<uint8_t*>(dst_addr), n, [](uint8_t v) { return uint8_t(v != 0); });
      return;
    default:
      break;
  }
  auto* dst = reinterpret_cast<int64_t*>(dst_addr);
  switch (raw) {
    case TL_RAW_I32: widen<int32_t>(src, dst, n, [](int32_t v) { return int64_t(v); }); break;
    case TL_RAW_I16: widen<int16_t>(src, dst, n, [](int16_t v) { return int64_t(v); }); break;
    case TL_RAW_I8: widen<int8_t>(src, dst, n, [](int8_t v) { return int64_t(v); }); break;
    case TL_RAW_U8: widen<uint8_t>(src, dst, n, [](uint8_t v) { return int64_t(v); }); break;
    case TL_RAW_U16: widen<uint16_t>(src, dst, n, [](uint16_t v) { return int64_t(v); }); break;
    case TL_RAW_U32: widen<uint32_t>(src, dst, n, [](uint32_t v) { return int64_t(v); }); break;
    default: break;
  }
  (void)dst_dt;
}
