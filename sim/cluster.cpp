#include "sim/cluster.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "sim/error.hpp"

namespace corridor {

namespace {
Cluster* g_world = nullptr;
}  // namespace

void SingleProcess::abort(int code) { std::exit(code); }
void SingleProcess::send(int, std::span<const std::int64_t>) {
  throw std::logic_error("send() on a single process: there is no other rank");
}
std::vector<std::int64_t> SingleProcess::receive(int) {
  throw std::logic_error("receive() on a single process: there is no other rank");
}

bool launched_by_mpi() {
  const char* no = std::getenv("CORRIDOR_NO_MPI");
  if (no && std::string(no) == "1") return false;
  // Open MPI's mpirun, MPICH/Hydra and PMIx launchers (srun --mpi=pmix) set one of these.
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

ClusterSession::ClusterSession(int& argc, char**& argv) {
  if (launched_by_mpi()) {
#ifdef CORRIDOR_HAVE_MPI
    cluster_ = make_mpi_cluster(argc, argv);
#else
    (void)argc;
    (void)argv;
    throw InputError(
        "started by an MPI launcher, but this corridor binary was built without MPI (install libopenmpi-dev and "
        "rebuild, or run it without mpirun)");
#endif
  } else {
    cluster_ = std::make_unique<SingleProcess>();
  }
  g_world = cluster_.get();
}

ClusterSession::~ClusterSession() {
  g_world = nullptr;
  cluster_.reset();  // MPI_Finalize for an MPI cluster
}

Cluster& world() {
  static SingleProcess single;
  return g_world ? *g_world : single;
}

int default_threads(int requested, const Cluster& cluster) {
  if (requested > 0) return requested;
  return std::max(1, omp_get_max_threads() / std::max(1, cluster.local_size()));
}

void on_root_or_fail_together(Cluster& cluster, const std::function<void()>& setup) {
  if (cluster.size() == 1) {
    setup();
    return;
  }
  std::string error;
  if (cluster.root()) {
    try {
      setup();
    } catch (const InputError& e) {
      error = e.what();
    }
  }
  const auto bytes = cluster.broadcast(std::as_bytes(std::span<const char>(error.data(), error.size())));
  if (!bytes.empty()) throw InputError(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace corridor
