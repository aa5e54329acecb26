#include "sim/sweep/launcher.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "sim/sweep/index.hpp"

extern char** environ;

namespace corridor {

namespace fs = std::filesystem;

const char* outcome_name(RunOutcome o) {
  return o == RunOutcome::kDone ? "done" : o == RunOutcome::kInterrupted ? "interrupted" : "failed";
}

fs::path self_exe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find this program's path (/proc/self/exe)");
  return p;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string shell_line(const std::vector<std::string>& args) {
  std::string cmd;
  for (const auto& a : args) {
    if (!cmd.empty()) cmd += ' ';
    cmd += shell_quote(a);
  }
  return cmd;
}

std::vector<std::string> run_argv(const fs::path& exe, const SweepRun& run, const fs::path& dir, int threads) {
  std::vector<std::string> a{exe.string(), "run",       run.base.string(), "--out", (dir / run.output()).string(),
                             "--seed",     std::to_string(run.seed), "--threads", std::to_string(threads), "--quiet"};
  for (const auto& o : run.overrides) {
    a.push_back("--set");
    a.push_back(o);
  }
  return a;
}

Launcher::Launcher(const SweepPlan& plan, fs::path dir, int slots, int threads)
    : plan_(plan), dir_(std::move(dir)), slots_(slots), threads_(threads), exe_(self_exe()) {}

void Launcher::start(std::size_t index) {
  const SweepRun& run = plan_.runs.at(index);
  // A leftover of an earlier, killed attempt is never a result: clear the way.
  for (const auto& e : fs::directory_iterator(dir_ / "runs"))
    if (e.path().filename().string().rfind(run.id + ".h5.tmp-", 0) == 0) fs::remove(e.path());
  std::error_code ec;
  fs::remove(dir_ / run.output(), ec);
  const auto args = run_argv(exe_, run, dir_, threads_);
  std::vector<char*> argv;
  for (const auto& s : args) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  // The child must not take itself for an MPI rank (its environment says mpirun started it).
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e)
    if (std::string(*e).rfind("CORRIDOR_NO_MPI=", 0) != 0) env_store.emplace_back(*e);
  env_store.emplace_back("CORRIDOR_NO_MPI=1");
  std::vector<char*> envp;
  for (auto& s : env_store) envp.push_back(s.data());
  envp.push_back(nullptr);
  const std::string log = (dir_ / "logs" / (run.id + ".log")).string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
  running_[pid] = Running{index, std::chrono::steady_clock::now()};
}

std::vector<FinishedRun> Launcher::reap() {
  std::vector<FinishedRun> out;
  for (auto it = running_.begin(); it != running_.end();) {
    int status = 0;
    const pid_t r = ::waitpid(it->first, &status, WNOHANG);
    if (r == 0) {
      ++it;
      continue;
    }
    const SweepRun& run = plan_.runs.at(it->second.index);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.start).count();
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    const bool complete = code == 0 && result_complete(dir_ / run.output(), run.seed);
    const RunOutcome outcome = complete ? RunOutcome::kDone : (killed_ ? RunOutcome::kInterrupted : RunOutcome::kFailed);
    out.push_back(FinishedRun{it->second.index, outcome, wall, code});
    it = running_.erase(it);
  }
  return out;
}

void Launcher::terminate_all() {
  killed_ = true;
  for (const auto& [pid, r] : running_) ::kill(pid, SIGTERM);
}

}  // namespace corridor
