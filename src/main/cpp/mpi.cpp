// The mpi process group's transport: Open MPI, opened at run time (dlopen), so that libtorchlet neither
// needs Open MPI to build nor to load, and a program that never calls initProcessGroup("mpi") never touches
// it. Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM...) are the addresses of its exported
// ompi_mpi_* objects (mpi.h defines them so), and its MPI_Comm, MPI_Datatype, MPI_Op and MPI_Request are
// pointers: that ABI has been stable since libmpi.so.40 (Open MPI 3.0).
//
// The collectives run one at a time on a communication thread of their own, blocking MPI calls in the order
// they were started (as PyTorch's ProcessGroupMPI does): a started collective progresses while the caller goes
// on (DistributedDataParallel's buckets during backward), and tl_mpi_wait waits for it up to a deadline, so that
// a peer that never joins ends in an error instead of a hang. (Open MPI's non-blocking collectives instead move
// on only inside MPI_Test, and ran at 40% of MPI_Allreduce's bandwidth for 1 MiB and more, polled hot.)
// The hand-off costs two thread wake-ups per collective: a 1 KiB allreduce of two processes took 12 us against
// MPI_Allreduce's 1.2 us; from 1 MiB on, the same time (benchmarks/distributed/run). Spinning instead of
// sleeping made it worse on two cores, where the spinning threads took the cores MPI's own polling needs.
#include <dlfcn.h>
#include <stdio.h>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include "torchlet.h"

namespace {

using Handle = void*;
// MPI_THREAD_SERIALIZED: the collectives come from the communication thread, init, finalize and abort from
// Java threads while it is idle (abort excepted: it ends the job whatever MPI is doing)
constexpr int kThreadSerialized = 2;

struct Mpi {
  void* lib = nullptr;
  Handle comm_world = nullptr;
  Handle dtypes[3] = {};  // float32, float64, int64 (the DType codes)
  Handle ops[4] = {};     // TL_MPI_SUM, PROD, MAX, MIN
  int (*Initialized)(int*);
  int (*Init_thread)(int*, char***, int, int*);
  int (*Finalize)();
  int (*Abort)(Handle, int);
  int (*Comm_rank)(Handle, int*);
  int (*Comm_size)(Handle, int*);
  int (*Error_string)(int, char*, int*);
  int (*Barrier)(Handle);
  int (*Allreduce)(const void*, void*, int, Handle, Handle, Handle);
  int (*Bcast)(void*, int, Handle, int, Handle);
  int (*Allgather)(const void*, int, Handle, void*, int, Handle, Handle);
  int (*Reduce_scatter_block)(const void*, void*, int, Handle, Handle, Handle);
};

Mpi mpi;
std::mutex mpi_mutex;  // init, finalize, abort
// The reason of the last failure, for tl_mpi_last_error: written by init (under mpi_mutex) and by the Java
// thread that collects a failed job (Java collects one at a time).
char last_error[512] = "";

// "what failed: MPI's text for code" into out.
void describe_failure(const char* what, int code, char* out, size_t size) {
  char text[256] = "";  // MPI_MAX_ERROR_STRING is 256 in Open MPI
  int len = 0;
  if (mpi.Error_string == nullptr || mpi.Error_string(code, text, &len) != 0) snprintf(text, sizeof text, "code %d", code);
  snprintf(out, size, "%s failed: %s", what, text);
}

void set_error(const char* what, int code) { describe_failure(what, code, last_error, sizeof last_error); }

template <typename F>
bool resolve(F& fn, const char* name) {
  fn = reinterpret_cast<F>(dlsym(mpi.lib, name));
  if (fn == nullptr) snprintf(last_error, sizeof last_error, "the library has no %s: not MPI", name);
  return fn != nullptr;
}

bool object(Handle& h, const char* name) {
  h = dlsym(mpi.lib, name);
  if (h == nullptr) snprintf(last_error, sizeof last_error, "the library has no %s: not Open MPI", name);
  return h != nullptr;
}

// A collective started on the communication thread. Owned by the queue until done, then by the caller, who
// frees it in tl_mpi_test/tl_mpi_wait when it reports it done (one that never finishes is never freed: its
// thread is stuck in MPI, and the job must end).
struct Job {
  const char* name;
  std::function<int()> run;  // the blocking MPI call; returns its error code
  bool done = false;  // guarded by comm.m
  int code = 0;
  char error[300] = "";
};

// The communication thread and its queue. Never destroyed: the thread may be stuck in MPI at exit.
struct Comm {
  std::mutex m;
  std::condition_variable changed;
  std::deque<Job*> queue;
  std::thread thread;
} &comm = *new Comm();

void comm_main() {
  for (;;) {
    Job* job;
    {
      std::unique_lock<std::mutex> lock(comm.m);
      comm.changed.wait(lock, [] { return !comm.queue.empty(); });
      job = comm.queue.front();
    }
    const int code = job->run();
    if (code != 0) describe_failure(job->name, code, job->error, sizeof job->error);
    std::lock_guard<std::mutex> lock(comm.m);
    comm.queue.pop_front();
    job->code = code;
    job->done = true;
    comm.changed.notify_all();
  }
}

int64_t start(const char* name, std::function<int()> run) {
  Job* job = new Job{name, std::move(run)};
  std::lock_guard<std::mutex> lock(comm.m);
  if (!comm.thread.joinable()) comm.thread = std::thread(comm_main);
  comm.queue.push_back(job);
  comm.changed.notify_all();
  return reinterpret_cast<int64_t>(job);
}

// A done job's result, freeing it: 0, or -1 with its error in last_error.
int finish(Job* job) {
  const int result = job->code == 0 ? 0 : -1;
  if (result != 0) snprintf(last_error, sizeof last_error, "%s", job->error);
  delete job;
  return result;
}

}  // namespace

int tl_mpi_init(const char* library, int32_t* rank_size) {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  if (mpi.lib == nullptr) {
    // RTLD_GLOBAL: Open MPI's own plugins (mca_*.so) resolve their symbols against libmpi's
    void* lib = dlopen(library, RTLD_NOW | RTLD_GLOBAL);
    if (lib == nullptr) {
      snprintf(last_error, sizeof last_error, "%s", dlerror());
      return -1;
    }
    mpi.lib = lib;
    const bool ok = resolve(mpi.Initialized, "MPI_Initialized") && resolve(mpi.Init_thread, "MPI_Init_thread") &&
        resolve(mpi.Finalize, "MPI_Finalize") && resolve(mpi.Abort, "MPI_Abort") &&
        resolve(mpi.Comm_rank, "MPI_Comm_rank") && resolve(mpi.Comm_size, "MPI_Comm_size") &&
        resolve(mpi.Error_string, "MPI_Error_string") && resolve(mpi.Barrier, "MPI_Barrier") &&
        resolve(mpi.Allreduce, "MPI_Allreduce") && resolve(mpi.Bcast, "MPI_Bcast") &&
        resolve(mpi.Allgather, "MPI_Allgather") && resolve(mpi.Reduce_scatter_block, "MPI_Reduce_scatter_block") &&
        object(mpi.comm_world, "ompi_mpi_comm_world") &&
        object(mpi.dtypes[0], "ompi_mpi_float") && object(mpi.dtypes[1], "ompi_mpi_double") &&
        object(mpi.dtypes[2], "ompi_mpi_int64_t") && object(mpi.ops[TL_MPI_SUM], "ompi_mpi_op_sum") &&
        object(mpi.ops[TL_MPI_PROD], "ompi_mpi_op_prod") && object(mpi.ops[TL_MPI_MAX], "ompi_mpi_op_max") &&
        object(mpi.ops[TL_MPI_MIN], "ompi_mpi_op_min");
    if (!ok) {
      mpi.lib = nullptr;  // not unloaded: a half-initialized library stays mapped rather than risk its destructors
      return -2;
    }
  }
  int initialized = 0;
  mpi.Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    const int code = mpi.Init_thread(nullptr, nullptr, kThreadSerialized, &provided);
    if (code != 0) {
      set_error("MPI_Init_thread", code);
      return -3;
    }
    if (provided < kThreadSerialized) {
      snprintf(last_error, sizeof last_error, "Open MPI provides thread level %d, torchlet needs MPI_THREAD_SERIALIZED (2)",
               provided);
      return -3;
    }
  }
  int code = mpi.Comm_rank(mpi.comm_world, &rank_size[0]);
  if (code == 0) code = mpi.Comm_size(mpi.comm_world, &rank_size[1]);
  if (code != 0) {
    set_error("MPI_Comm_rank/size", code);
    return -3;
  }
  return 0;
}

const char* tl_mpi_last_error() { return last_error; }

int64_t tl_mpi_ibarrier() {
  return start("MPI_Barrier", [] { return mpi.Barrier(mpi.comm_world); });
}

int64_t tl_mpi_iallreduce(int64_t addr, int64_t count, int dt, int op) {
  return start("MPI_Allreduce", [=] {
    void* in_place = reinterpret_cast<void*>(1);  // MPI_IN_PLACE
    return mpi.Allreduce(in_place, reinterpret_cast<void*>(addr), int(count), mpi.dtypes[dt], mpi.ops[op],
                         mpi.comm_world);
  });
}

int64_t tl_mpi_ibcast(int64_t addr, int64_t count, int dt, int root) {
  return start("MPI_Bcast", [=] {
    return mpi.Bcast(reinterpret_cast<void*>(addr), int(count), mpi.dtypes[dt], root, mpi.comm_world);
  });
}

int64_t tl_mpi_iallgather(int64_t in, int64_t out, int64_t count, int dt) {
  return start("MPI_Allgather", [=] {
    return mpi.Allgather(reinterpret_cast<void*>(in), int(count), mpi.dtypes[dt], reinterpret_cast<void*>(out),
                         int(count), mpi.dtypes[dt], mpi.comm_world);
  });
}

int64_t tl_mpi_ireduce_scatter(int64_t in, int64_t out, int64_t count, int dt, int op) {
  return start("MPI_Reduce_scatter_block", [=] {
    return mpi.Reduce_scatter_block(reinterpret_cast<void*>(in), reinterpret_cast<void*>(out), int(count),
                                    mpi.dtypes[dt], mpi.ops[op], mpi.comm_world);
  });
}

int tl_mpi_test(int64_t request) {
  Job* job = reinterpret_cast<Job*>(request);
  {
    std::lock_guard<std::mutex> lock(comm.m);
    if (!job->done) return 0;
  }
  return finish(job) == 0 ? 1 : -1;
}

int tl_mpi_wait(int64_t request, double timeout_seconds) {
  Job* job = reinterpret_cast<Job*>(request);
  {
    std::unique_lock<std::mutex> lock(comm.m);
    if (!comm.changed.wait_for(lock, std::chrono::duration<double>(timeout_seconds), [&] { return job->done; }))
      return 1;
  }
  return finish(job);
}

void tl_mpi_abort(int code) {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  if (mpi.lib != nullptr) mpi.Abort(mpi.comm_world, code);
}

int tl_mpi_finalize() {
  std::lock_guard<std::mutex> lock(mpi_mutex);
  const int code = mpi.Finalize();
  if (code != 0) set_error("MPI_Finalize", code);
  return code;
}
