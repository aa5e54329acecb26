// The corridor executable: the command line (sim/cli) with the models this binary carries.
#include "models/registry.hpp"
#include "sim/cli/cli.hpp"

int main(int argc, char** argv) { return corridor::run_cli(argc, argv, corridor::models::registry()); }
