/* The baseline of benchmarks/distributed/run: Open MPI's own MPI_Allreduce (float32 sum, in place) at the
 * sizes, iteration counts and timing of DistributedBench.allReduce. Rank 0 prints
 * "allreduce BYTES SECONDS_PER_CALL". */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int iterations(long bytes) {
  long n = (256L << 20) / bytes;
  return (int)(n < 3 ? 3 : n > 2000 ? 2000 : n);
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (long bytes = 1 << 10; bytes <= 256L << 20; bytes *= 4) {
    long count = bytes / 4;
    float* t = malloc(bytes);
    for (long i = 0; i < count; i++) t[i] = 1.0f;
    int n = iterations(bytes);
    for (int i = 0; i < (n / 10 > 1 ? n / 10 : 1); i++)
      MPI_Allreduce(MPI_IN_PLACE, t, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    for (int i = 0; i < n; i++) MPI_Allreduce(MPI_IN_PLACE, t, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    double seconds = (MPI_Wtime() - start) / n;
    if (rank == 0) printf("allreduce %ld %.9f\n", bytes, seconds);
    free(t);
  }
  MPI_Finalize();
  return 0;
}
