#pragma once
// Thin RAII helpers over the HDF5 C API: typed 1-D columns and attributes (the appendable tables
// are sim/chunked_table.hpp). Every failure throws std::runtime_error naming the object.
#include <hdf5.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace corridor::h5 {

/// Owns one HDF5 identifier and closes it with the right function.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), closer_(closer) {}
  Handle(Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      closer_ = o.closer_;
      o.id_ = -1;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  void reset() {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = -1;
  }
  hid_t id() const { return id_; }
  operator hid_t() const { return id_; }
  /// Gives up ownership: the caller closes the identifier (and sees whether closing failed).
  hid_t release() {
    const hid_t id = id_;
    id_ = -1;
    return id;
  }

 private:
  hid_t id_ = -1;
  herr_t (*closer_)(hid_t) = nullptr;
};

template <class T>
hid_t native_type();

Handle create_file(const std::string& path);
Handle open_file_readonly(const std::string& path);
Handle open_file_readwrite(const std::string& path);
Handle create_group(hid_t parent, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);

void write_attribute(hid_t obj, const std::string& name, const std::string& value);
void write_attribute(hid_t obj, const std::string& name, std::int64_t value);
void write_attribute(hid_t obj, const std::string& name, double value);
void write_attribute(hid_t obj, const std::string& name, const std::vector<std::string>& values);
std::string read_string_attribute(hid_t obj, const std::string& name);
std::int64_t read_int_attribute(hid_t obj, const std::string& name);

/// A complete 1-D dataset.
template <class T>
void write_column(hid_t group, const std::string& name, std::span<const T> values);
void write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values);

template <class T>
std::vector<T> read_column(hid_t group, const std::string& name);
std::vector<std::string> read_strings(hid_t group, const std::string& name);

/// A failed HDF5 call of these helpers: what was being done ("write node") and the cause
/// (error_cause() at the moment it failed, e.g. "No space left on device").
class Failure : public std::runtime_error {
 public:
  Failure(const std::string& what, std::string cause)
      : std::runtime_error("HDF5: " + what + ": " + cause), action(what), cause(std::move(cause)) {}
  std::string action;
  std::string cause;
};

/// What the HDF5 library says went wrong on this thread, most specific first: the operating
/// system's message where there is one (e.g. "No space left on device"), else HDF5's own.
std::string error_cause();
/// Keeps the HDF5 library from closing, at process exit, files left open after a failed write.
/// HDF5 1.10 crashes doing so once a flush or close has failed (a full disk), after corridor
/// already reported the error and removed the temporary file. Call before any other HDF5 call.
void no_cleanup_at_exit();
/// Throws OutputError "cannot write FILE (what): CAUSE" for a failed write to `obj`'s file.
[[noreturn]] void throw_write_error(hid_t obj, const std::string& what);

}  // namespace corridor::h5
