// The MPI implementation of sim/cluster.hpp. Compiled only when CMake finds MPI
// (CORRIDOR_HAVE_MPI); everything MPI-specific in corridor is in this directory.
#include <fmt/format.h>
#include <mpi.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "sim/cluster.hpp"

namespace corridor {

namespace {

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, text, &len);
    throw std::runtime_error(fmt::format("MPI: {} failed: {}", what, std::string(text, static_cast<std::size_t>(len))));
  }
}

int as_count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw std::runtime_error(fmt::format("MPI: {} of {} bytes exceeds one message (2 GiB)", what, n));
  return static_cast<int>(n);
}

constexpr int kTagMessage = 17;

class MpiCluster final : public Cluster {
 public:
  MpiCluster(int& argc, char**& argv) {
    // Only the main thread calls MPI (the OpenMP workers never do).
    int provided = 0;
    check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    MPI_Comm local;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local);
    MPI_Comm_size(local, &local_size_);
    MPI_Comm_free(&local);
  }
  ~MpiCluster() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int local_size() const override { return local_size_; }

  void allreduce_sum(std::int64_t* data, std::size_t n) override {
    check(MPI_Allreduce(MPI_IN_PLACE, data, as_count(n, "allreduce"), MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD),
          "MPI_Allreduce");
  }

  std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine) override {
    const int n = as_count(mine.size(), "gather");
    std::vector<int> counts(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
    check(MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
    std::vector<int> displs;
    std::vector<std::byte> all;
    if (rank_ == 0) {
      std::size_t total = 0;
      for (int c : counts) {
        displs.push_back(as_count(total, "gather (total)"));
        total += static_cast<std::size_t>(c);
      }
      all.resize(total);
    }
    check(MPI_Gatherv(mine.data(), n, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE, 0,
                      MPI_COMM_WORLD),
          "MPI_Gatherv");
    std::vector<std::vector<std::byte>> out;
    if (rank_ == 0)
      for (int r = 0; r < size_; ++r)
        out.emplace_back(all.begin() + displs[static_cast<std::size_t>(r)],
                         all.begin() + displs[static_cast<std::size_t>(r)] + counts[static_cast<std::size_t>(r)]);
    return out;
  }

  std::vector<std::byte> broadcast(std::span<const std::byte> from_root) override {
    std::int64_t n = static_cast<std::int64_t>(from_root.size());
    check(MPI_Bcast(&n, 1, MPI_INT64_T, 0, MPI_COMM_WORLD), "MPI_Bcast");
    std::vector<std::byte> buf(static_cast<std::size_t>(n));
    if (rank_ == 0) std::copy(from_root.begin(), from_root.end(), buf.begin());
    check(MPI_Bcast(buf.data(), as_count(buf.size(), "broadcast"), MPI_BYTE, 0, MPI_COMM_WORLD), "MPI_Bcast");
    return buf;
  }

  std::vector<std::vector<std::byte>> alltoallv(const std::vector<std::vector<std::byte>>& to_each) override {
    if (to_each.size() != static_cast<std::size_t>(size_)) throw std::logic_error("alltoallv: one message per rank");
    std::vector<int> send_counts(static_cast<std::size_t>(size_)), recv_counts(send_counts.size());
    std::vector<int> send_displs(send_counts.size()), recv_displs(send_counts.size());
    std::size_t total = 0;
    for (std::size_t r = 0; r < to_each.size(); ++r) {
      send_counts[r] = as_count(to_each[r].size(), "alltoallv");
      send_displs[r] = as_count(total, "alltoallv (total)");
      total += to_each[r].size();
    }
    std::vector<std::byte> send;
    send.reserve(total);
    for (const auto& m : to_each) send.insert(send.end(), m.begin(), m.end());
    check(MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Alltoall");
    std::size_t received = 0;
    for (std::size_t r = 0; r < recv_counts.size(); ++r) {
      recv_displs[r] = as_count(received, "alltoallv (total)");
      received += static_cast<std::size_t>(recv_counts[r]);
    }
    std::vector<std::byte> recv(received);
    check(MPI_Alltoallv(send.data(), send_counts.data(), send_displs.data(), MPI_BYTE, recv.data(), recv_counts.data(),
                        recv_displs.data(), MPI_BYTE, MPI_COMM_WORLD),
          "MPI_Alltoallv");
    std::vector<std::vector<std::byte>> out(static_cast<std::size_t>(size_));
    for (std::size_t r = 0; r < out.size(); ++r)
      out[r].assign(recv.begin() + recv_displs[r], recv.begin() + recv_displs[r] + recv_counts[r]);
    return out;
  }

  void barrier() override { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }

  [[noreturn]] void abort(int code) override {
    std::fflush(stdout);
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code);
  }

  void send(int to, std::span<const std::int64_t> message) override {
    check(MPI_Send(message.data(), as_count(message.size(), "send"), MPI_INT64_T, to, kTagMessage, MPI_COMM_WORLD),
          "MPI_Send");
  }

  bool try_receive(int& from, std::vector<std::int64_t>& message) override {
    int flag = 0;
    MPI_Status st;
    check(MPI_Iprobe(MPI_ANY_SOURCE, kTagMessage, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
    if (!flag) return false;
    from = st.MPI_SOURCE;
    message = take(from, st);
    return true;
  }

  std::vector<std::int64_t> receive(int from) override {
    MPI_Status st;
    check(MPI_Probe(from, kTagMessage, MPI_COMM_WORLD, &st), "MPI_Probe");
    return take(from, st);
  }

 private:
  std::vector<std::int64_t> take(int from, MPI_Status& st) {
    int n = 0;
    MPI_Get_count(&st, MPI_INT64_T, &n);
    std::vector<std::int64_t> m(static_cast<std::size_t>(n));
    check(MPI_Recv(m.data(), n, MPI_INT64_T, from, kTagMessage, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
    return m;
  }

  int rank_ = 0, size_ = 1, local_size_ = 1;
};

}  // namespace

std::unique_ptr<Cluster> make_mpi_cluster(int& argc, char**& argv) { return std::make_unique<MpiCluster>(argc, argv); }

}  // namespace corridor
