#pragma once
// The processes of one `corridor` invocation (decision 5, docs/architecture.md). Under `mpirun -n N` they
// are N MPI ranks; started any other way they are one process and nothing here touches MPI.
//
// The engine and the sweep runner talk to this small interface only, so that MPI stays a
// build-time option: the MPI implementation (sim/mpi/mpi_cluster.cpp) is compiled only when
// CMake finds MPI (CORRIDOR_HAVE_MPI), and a binary started without mpirun behaves exactly as
// one built without MPI.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace corridor {

class Cluster {
 public:
  virtual ~Cluster() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Ranks started on this machine (to share its cores between them).
  virtual int local_size() const = 0;
  bool root() const { return rank() == 0; }

  /// Element-wise sum over all ranks, in place, identical on every rank afterwards.
  virtual void allreduce_sum(std::int64_t* data, std::size_t n) = 0;
  /// Every rank's bytes, in rank order, on rank 0 (other ranks get an empty vector).
  virtual std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine) = 0;
  /// Rank 0's bytes on every rank.
  virtual std::vector<std::byte> broadcast(std::span<const std::byte> from_root) = 0;
  virtual void barrier() = 0;
  /// Ends every rank at once (an error on one rank while others wait in a collective).
  [[noreturn]] virtual void abort(int code) = 0;

  // Point-to-point messages of a few integers (the sweep's work queue).
  virtual void send(int to, std::span<const std::int64_t> message) = 0;
  /// A message from any rank if one is waiting (returns false at once otherwise).
  virtual bool try_receive(int& from, std::vector<std::int64_t>& message) = 0;
  /// Waits for a message from `from`.
  virtual std::vector<std::int64_t> receive(int from) = 0;
};

/// One process: rank 0 of 1. Collectives are identities.
class SingleProcess final : public Cluster {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  int local_size() const override { return 1; }
  void allreduce_sum(std::int64_t*, std::size_t) override {}
  std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine) override {
    return {std::vector<std::byte>(mine.begin(), mine.end())};
  }
  std::vector<std::byte> broadcast(std::span<const std::byte> from_root) override {
    return {from_root.begin(), from_root.end()};
  }
  void barrier() override {}
  [[noreturn]] void abort(int code) override;
  void send(int, std::span<const std::int64_t>) override;
  bool try_receive(int&, std::vector<std::int64_t>&) override { return false; }
  std::vector<std::int64_t> receive(int) override;
};

/// True when this process was started by an MPI launcher (mpirun, mpiexec, srun with PMI)
/// and the environment does not say CORRIDOR_NO_MPI=1 (set for the sweep's child runs).
bool launched_by_mpi();

/// The processes of this invocation, for the lifetime of this object (main() holds it): MPI's
/// world when launched by MPI (MPI is initialised here and finalised by the destructor), else
/// a SingleProcess. Throws InputError when launched by mpirun but built without MPI.
class ClusterSession {
 public:
  ClusterSession(int& argc, char**& argv);
  ~ClusterSession();
  ClusterSession(const ClusterSession&) = delete;
  ClusterSession& operator=(const ClusterSession&) = delete;
  Cluster& cluster() { return *cluster_; }

 private:
  std::unique_ptr<Cluster> cluster_;
};

/// The session's cluster (a SingleProcess when there is no session, e.g. in unit tests).
Cluster& world();

/// OpenMP threads per process when the user gave none (`requested` 0): OpenMP's default
/// (this machine's cores, or OMP_NUM_THREADS) shared by the ranks started on this machine.
int default_threads(int requested, const Cluster& cluster);

/// Runs `setup` on rank 0 only (creating a file, a directory, an index), and makes an input
/// error there every rank's: all ranks then throw the same InputError, nobody waits for a rank
/// that has given up. One process: `setup` runs and its errors propagate as they are.
void on_root_or_fail_together(Cluster& cluster, const std::function<void()>& setup);

#ifdef CORRIDOR_HAVE_MPI
/// sim/mpi/mpi_cluster.cpp
std::unique_ptr<Cluster> make_mpi_cluster(int& argc, char**& argv);
#endif

/// Serialising plain values into the byte messages above.
template <class T>
void put_bytes(std::vector<std::byte>& out, const T* data, std::size_t n) {
  const auto* p = reinterpret_cast<const std::byte*>(data);
  out.insert(out.end(), p, p + n * sizeof(T));
}

}  // namespace corridor
