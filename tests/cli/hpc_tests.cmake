# Sweeps, multi-rank runs and checkpoints (issue 5; docs/hpc.md): bad input exits 2 naming
# the problem, the shipped sweep files expand and every scenario in them validates, and the
# tests that need mpirun or a local SLURM are reported as skipped (exit 77) where they cannot run.
set(HPC_FIX ${CMAKE_CURRENT_LIST_DIR}/fixtures/hpc)
set(HPC_OUT ${CMAKE_CURRENT_BINARY_DIR}/hpc_out)
file(MAKE_DIRECTORY ${HPC_OUT})

function(hpc_bad_input name regex)
  add_test(NAME cli.hpc.bad_input.${name}
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/expect_failure.sh $<TARGET_FILE:corridor> ${HPC_OUT}/${name}.h5
                   "${regex}" -- ${ARGN})
endfunction()

hpc_bad_input(sweep_unknown_key "sweep_unknown_key\\.yaml:5: unknown key 'replicats'"
              sweep ${HPC_FIX}/sweep_unknown_key.yaml --out ${HPC_OUT}/unknown_key)
hpc_bad_input(sweep_bad_override "scenario 'typo': .*unknown key 'markov\\.initail'"
              sweep ${HPC_FIX}/sweep_bad_override.yaml --dry-run)
hpc_bad_input(sweep_missing_file "no_such_sweep\\.yaml: sweep file not found" sweep ${HPC_FIX}/no_such_sweep.yaml --dry-run)
hpc_bad_input(sweep_needs_out "--out DIR is required" sweep ${HPC_FIX}/sweep_ok.yaml)
hpc_bad_input(sweep_task_out_of_range "--task-id 4: the sweep .* has runs 0 to 3"
              sweep ${HPC_FIX}/sweep_ok.yaml --out ${HPC_OUT}/task_range --task-id 4)
hpc_bad_input(emit_slurm_needs_out "--emit-slurm needs --out DIR" sweep ${HPC_FIX}/sweep_ok.yaml --emit-slurm ${HPC_OUT}/x.sbatch)
# The --slurm-* options: checked before anything is written (the script is the "output" here).
function(slurm_bad_input name regex)
  add_test(NAME cli.hpc.bad_input.${name}
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/expect_failure.sh $<TARGET_FILE:corridor> ${HPC_OUT}/${name}.sbatch
                   "${regex}" -- sweep ${HPC_FIX}/sweep_ok.yaml --out ${HPC_OUT}/${name}_dir
                   --emit-slurm ${HPC_OUT}/${name}.sbatch ${ARGN})
endfunction()
slurm_bad_input(slurm_time "--slurm-time '2h': expected a SLURM time limit" --slurm-time 2h)
slurm_bad_input(slurm_mem "--slurm-mem '4GB': expected memory per node" --slurm-mem 4GB)
slurm_bad_input(slurm_account "--slurm-account 'a b': expected an account name" --slurm-account "a b")
slurm_bad_input(slurm_extra_sets_array "--slurm-extra '#SBATCH --array=1-3': --array cannot be given here"
                --slurm-extra "#SBATCH --array=1-3")
slurm_bad_input(runs_per_task_zero "--runs-per-task: Value 0 not in range" --runs-per-task 0)
hpc_bad_input(slurm_option_without_emit_slurm "--slurm-mem requires --emit-slurm"
              sweep ${HPC_FIX}/sweep_ok.yaml --dry-run --slurm-mem 4G)
hpc_bad_input(restart_missing "checkpoint .*no_such\\.ckpt: file not found" run --restart ${HPC_OUT}/no_such.ckpt)
hpc_bad_input(restart_with_scenario "--restart continues the checkpoint's own scenario"
              run ${CMAKE_CURRENT_LIST_DIR}/fixtures/base.yaml --restart ${HPC_OUT}/no_such.ckpt)
hpc_bad_input(restart_not_a_checkpoint "not an HDF5 file" run --restart ${CMAKE_CURRENT_LIST_DIR}/fixtures/base.yaml)
hpc_bad_input(stop_after_the_end "--stop-after-day 10: the run has only days 0 to 9"
              run --quiet --out ${HPC_OUT}/stop_after_the_end.h5 ${CMAKE_CURRENT_LIST_DIR}/fixtures/base.yaml
              --stop-after-day 10)
hpc_bad_input(checkpoint_every_zero "--checkpoint-every: Value 0 not in range"
              run --quiet --out ${HPC_OUT}/checkpoint_every_zero.h5 ${CMAKE_CURRENT_LIST_DIR}/fixtures/base.yaml
              --checkpoint-every 0)

hpc_bad_input(sweep_design_value_out_of_range "point 'p0001': .*markov\\.transitions\\.0\\.p.*1\\.5"
              sweep ${HPC_FIX}/sweep_bad_design.yaml --dry-run)

add_test(NAME cli.hpc.sweep_dry_run COMMAND $<TARGET_FILE:corridor> sweep ${HPC_FIX}/sweep_ok.yaml --dry-run)
set_tests_properties(cli.hpc.sweep_dry_run PROPERTIES
  PASS_REGULAR_EXPRESSION "2 scenarios x 2 replicates = 4 runs.*\nr0003 +end=2021-01-08 +1 ")
# Designs (issue 13): a CSV crossed with the scenarios, one of which runs its own file; a sample.
add_test(NAME cli.hpc.sweep_design_dry_run COMMAND $<TARGET_FILE:corridor> sweep ${HPC_FIX}/sweep_design.yaml --dry-run)
set_tests_properties(cli.hpc.sweep_design_dry_run PROPERTIES
  PASS_REGULAR_EXPRESSION "2 scenarios x 2 design points x 1 replicates = 4 runs.*\nr0001 +plain +fast .*\nr0003 +other_file +fast .*\\(file [^)]*other_base\\.yaml\\) ; markov\\.transitions\\.0\\.p=0\\.9")
add_test(NAME cli.hpc.sweep_sample_dry_run COMMAND $<TARGET_FILE:corridor> sweep ${HPC_FIX}/sweep_sample.yaml --dry-run)
set_tests_properties(cli.hpc.sweep_sample_dry_run PROPERTIES
  PASS_REGULAR_EXPRESSION "1 scenarios x 6 design points x 1 replicates = 6 runs.*\nr0005 +base +p0005 ")
add_test(NAME cli.help.sweep COMMAND $<TARGET_FILE:corridor> sweep --help)
set_tests_properties(cli.help.sweep PROPERTIES PASS_REGULAR_EXPRESSION "--task-id")

# Every shipped sweep expands, and every scenario in it loads (--dry-run validates them): the
# sweep files, and the posterior ensembles' (written by scripts/calibrate.py, one directory each).
file(GLOB SHIPPED_SWEEPS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scenarios/sweeps/*.yaml
     ${CMAKE_SOURCE_DIR}/scenarios/posterior*/posterior.yaml)
foreach(sw ${SHIPPED_SWEEPS})
  get_filename_component(stem ${sw} NAME_WE)
  if(stem STREQUAL "posterior")  # named by its directory: posterior, posterior_v2
    get_filename_component(dir ${sw} DIRECTORY)
    get_filename_component(stem ${dir} NAME)
  endif()
  add_test(NAME cli.hpc.shipped_sweep.${stem} COMMAND $<TARGET_FILE:corridor> sweep ${sw} --dry-run)
  set_tests_properties(cli.hpc.shipped_sweep.${stem} PROPERTIES PASS_REGULAR_EXPRESSION "runs; base ")
endforeach()

# Tests that need mpirun (and an MPI build), a local SLURM or a mountable small filesystem exit
# 77 when they cannot run.
foreach(t test_mpi test_slurm_sweep test_full_disk)
  if(TEST python.${t})
    set_tests_properties(python.${t} PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endforeach()
