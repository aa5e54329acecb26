#pragma once
// Version of the software and the git commit it was built from (stamped at build time).
namespace corridor {
const char* software_version();
const char* git_commit();
}  // namespace corridor
