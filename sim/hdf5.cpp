#include "sim/hdf5.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/error.hpp"

namespace corridor::h5 {

namespace {
// The cause is taken at once: closing the handles while the exception unwinds clears HDF5's
// error stack.
void check(herr_t rc, const std::string& what) {
  if (rc < 0) throw Failure(what, error_cause());
}
hid_t checked(hid_t id, const std::string& what) {
  if (id < 0) throw Failure(what, error_cause());
  return id;
}
Handle string_type() {
  Handle t(checked(H5Tcopy(H5T_C_S1), "copy string type"), H5Tclose);
  check(H5Tset_size(t, H5T_VARIABLE), "variable string size");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "string charset");
  return t;
}
}  // namespace

template <> hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }
template <> hid_t native_type<std::int8_t>() { return H5T_NATIVE_INT8; }
template <> hid_t native_type<std::int16_t>() { return H5T_NATIVE_INT16; }
template <> hid_t native_type<std::uint16_t>() { return H5T_NATIVE_UINT16; }
template <> hid_t native_type<std::uint32_t>() { return H5T_NATIVE_UINT32; }
template <> hid_t native_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <> hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native_type<std::uint64_t>() { return H5T_NATIVE_UINT64; }
template <> hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }
template <> hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }

void no_cleanup_at_exit() { H5dont_atexit(); }

Handle create_file(const std::string& path) {
  // Silence HDF5's own error stack printing: we throw with our own message instead.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  return Handle(checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "cannot create " + path),
                H5Fclose);
}

Handle open_file_readonly(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  return Handle(checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "cannot open " + path), H5Fclose);
}

Handle open_file_readwrite(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  return Handle(checked(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "cannot open " + path + " for writing"),
                H5Fclose);
}

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(checked(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        "cannot create group " + name),
                H5Gclose);
}

Handle open_group(hid_t parent, const std::string& name) {
  return Handle(checked(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), "cannot open group " + name), H5Gclose);
}

static void write_scalar_attribute(hid_t obj, const std::string& name, hid_t type, const void* value) {
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "delete attribute " + name);
  Handle space(checked(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
  Handle attr(checked(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), "create attribute " + name),
              H5Aclose);
  check(H5Awrite(attr, type, value), "write attribute " + name);
}

void write_attribute(hid_t obj, const std::string& name, const std::string& value) {
  Handle t = string_type();
  const char* p = value.c_str();
  write_scalar_attribute(obj, name, t, &p);
}
void write_attribute(hid_t obj, const std::string& name, std::int64_t value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_INT64, &value);
}
void write_attribute(hid_t obj, const std::string& name, double value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_DOUBLE, &value);
}
void write_attribute(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "delete attribute " + name);
  Handle t = string_type();
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  const hsize_t n = values.size();
  Handle space(checked(H5Screate_simple(1, &n, nullptr), "space"), H5Sclose);
  Handle attr(checked(H5Acreate2(obj, name.c_str(), t, space, H5P_DEFAULT, H5P_DEFAULT), "create attribute " + name),
              H5Aclose);
  check(H5Awrite(attr, t, ptrs.data()), "write attribute " + name);
}

std::string read_string_attribute(hid_t obj, const std::string& name) {
  Handle attr(checked(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose);
  Handle t = string_type();
  char* p = nullptr;
  check(H5Aread(attr, t, &p), "read attribute " + name);
  std::string s = p ? p : "";
  H5free_memory(p);
  return s;
}

std::int64_t read_int_attribute(hid_t obj, const std::string& name) {
  Handle attr(checked(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose);
  std::int64_t v = 0;
  check(H5Aread(attr, H5T_NATIVE_INT64, &v), "read attribute " + name);
  return v;
}

template <class T>
void write_column(hid_t group, const std::string& name, std::span<const T> values) {
  const hsize_t n = values.size();
  Handle space(checked(H5Screate_simple(1, &n, nullptr), "space"), H5Sclose);
  Handle ds(checked(H5Dcreate2(group, name.c_str(), native_type<T>(), space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    "create dataset " + name),
            H5Dclose);
  if (n > 0) check(H5Dwrite(ds, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
}

void write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values) {
  Handle t = string_type();
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  const hsize_t n = values.size();
  Handle space(checked(H5Screate_simple(1, &n, nullptr), "space"), H5Sclose);
  Handle ds(checked(H5Dcreate2(group, name.c_str(), t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    "create dataset " + name),
            H5Dclose);
  if (n > 0) check(H5Dwrite(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write " + name);
}

template <class T>
std::vector<T> read_column(hid_t group, const std::string& name) {
  Handle ds(checked(H5Dopen2(group, name.c_str(), H5P_DEFAULT), "open dataset " + name), H5Dclose);
  Handle space(checked(H5Dget_space(ds), "space of " + name), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<T> v(static_cast<std::size_t>(n));
  if (n > 0) check(H5Dread(ds, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + name);
  return v;
}

std::vector<std::string> read_strings(hid_t group, const std::string& name) {
  Handle ds(checked(H5Dopen2(group, name.c_str(), H5P_DEFAULT), "open dataset " + name), H5Dclose);
  Handle space(checked(H5Dget_space(ds), "space of " + name), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
  Handle t = string_type();
  if (n > 0) check(H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "read " + name);
  std::vector<std::string> out;
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  if (n > 0) H5Dvlen_reclaim(t, space, H5P_DEFAULT, ptrs.data());
  return out;
}

#define CORRIDOR_H5_INSTANTIATE(T)                                                  \
  template void write_column<T>(hid_t, const std::string&, std::span<const T>); \
  template std::vector<T> read_column<T>(hid_t, const std::string&);
CORRIDOR_H5_INSTANTIATE(std::uint8_t)
CORRIDOR_H5_INSTANTIATE(std::int8_t)
CORRIDOR_H5_INSTANTIATE(std::int16_t)
CORRIDOR_H5_INSTANTIATE(std::uint16_t)
CORRIDOR_H5_INSTANTIATE(std::uint32_t)
CORRIDOR_H5_INSTANTIATE(std::int32_t)
CORRIDOR_H5_INSTANTIATE(std::int64_t)
CORRIDOR_H5_INSTANTIATE(std::uint64_t)
CORRIDOR_H5_INSTANTIATE(float)
CORRIDOR_H5_INSTANTIATE(double)
#undef CORRIDOR_H5_INSTANTIATE

namespace {

herr_t collect_error(unsigned n, const H5E_error2_t* e, void* data) {
  auto* out = static_cast<std::vector<std::string>*>(data);
  (void)n;
  if (e->desc) out->push_back(e->desc);
  return 0;
}

}  // namespace

std::string error_cause() {
  std::vector<std::string> messages;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_error, &messages);
  // The low-level driver names the operating system's error: "... error message = 'No space
  // left on device', ...".
  for (const auto& m : messages) {
    const auto at = m.find("error message = '");
    if (at != std::string::npos) {
      const auto from = at + 17;
      return m.substr(from, m.find('\'', from) - from);
    }
  }
  return messages.empty() ? std::string("unknown HDF5 error") : messages.front();
}

void throw_write_error(hid_t obj, const std::string& what) {
  const std::string cause = error_cause();
  std::string file = "the output file";
  const ssize_t n = H5Fget_name(obj, nullptr, 0);
  if (n > 0) {
    std::string name(static_cast<std::size_t>(n) + 1, '\0');
    H5Fget_name(obj, name.data(), name.size());
    name.resize(static_cast<std::size_t>(n));
    file = name;
  }
  throw OutputError(fmt::format("cannot write {} ({}): {}", file, what, cause));
}

}  // namespace corridor::h5
