# Bad input (issue: engine foundation, item 4): each case must exit 2, name the problem
# (file, line or key path, what was expected) and leave no output file.
set(CLI_FIX ${CMAKE_CURRENT_LIST_DIR}/fixtures)
set(CLI_OUT ${CMAKE_CURRENT_BINARY_DIR}/cli_out)
file(MAKE_DIRECTORY ${CLI_OUT})

function(bad_input name regex)
  add_test(NAME cli.bad_input.${name}
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/expect_failure.sh $<TARGET_FILE:corridor> ${CLI_OUT}/${name}.h5
                   "${regex}" -- run --quiet --out ${CLI_OUT}/${name}.h5 ${ARGN})
endfunction()

bad_input(unknown_key "unknown_key\\.yaml:3: unknown key 'markov\\.initail'" ${CLI_FIX}/unknown_key.yaml)
bad_input(wrong_type "wrong_type\\.yaml:2: key 'seed': expected a non-negative 64-bit integer, got 'seven'" ${CLI_FIX}/wrong_type.yaml)
bad_input(probability_above_one "probability\\.yaml:4: key 'markov\\.transitions\\.0\\.p': expected a probability in \\[0,1\\], got '1\\.5'" ${CLI_FIX}/probability.yaml)
bad_input(probability_negative "--set markov\\.transitions\\.1\\.p: key 'markov\\.transitions\\.1\\.p': expected a probability in \\[0,1\\], got '-0\\.1'"
          ${CLI_FIX}/base.yaml --set markov.transitions.1.p=-0.1)
bad_input(end_before_start "end_before_start\\.yaml:2: key 'end': end date 2020-12-31 is before start date 2021-01-01" ${CLI_FIX}/end_before_start.yaml)
bad_input(unparsable_date "bad_date\\.yaml:2: key 'start': expected a date as YYYY-MM-DD, got '2021-02-30'" ${CLI_FIX}/bad_date.yaml)
bad_input(unparsable_date_text "key 'end': expected a date as YYYY-MM-DD, got 'next week'" ${CLI_FIX}/base.yaml "--set" "end=next week")
bad_input(schedule_dates_decrease "bad_schedule\\.yaml:8: key 'markov\\.transitions\\.0\\.p\\.1\\.date': schedule dates must increase" ${CLI_FIX}/bad_schedule.yaml)
bad_input(edge_unknown_node "edges_unknown_node\\.csv:3: column 'to': unknown node 'zz'" ${CLI_FIX}/base.yaml --set network.edges=edges_unknown_node.csv)
bad_input(duplicate_node_id "nodes_duplicate\\.csv:5: duplicate node id 'b' \\(first defined on line 3\\)" ${CLI_FIX}/base.yaml --set network.nodes=nodes_duplicate.csv)
bad_input(zero_distance "edges_zero_km\\.csv:2: column 'km': expected a positive number, got '0'" ${CLI_FIX}/base.yaml --set network.edges=edges_zero_km.csv)
bad_input(negative_distance "edges_negative_km\\.csv:3: column 'km': expected a positive number, got '-3'" ${CLI_FIX}/base.yaml --set network.edges=edges_negative_km.csv)
bad_input(non_numeric_distance "edges_text_km\\.csv:3: column 'km': expected a positive number, got 'twelve'" ${CLI_FIX}/base.yaml --set network.edges=edges_text_km.csv)
bad_input(unreachable_destination "destination 'e' is unreachable from origin 'a'" ${CLI_FIX}/unreachable.yaml)
bad_input(missing_table "key 'network\\.nodes': table '.*no_such_nodes\\.csv' not found" ${CLI_FIX}/base.yaml --set network.nodes=no_such_nodes.csv)
bad_input(unreadable_table "key 'network\\.edges': '.*a_directory\\.csv' is a directory, expected a file" ${CLI_FIX}/base.yaml --set network.edges=a_directory.csv)
bad_input(csv_wrong_field_count "edges_wrong_fields\\.csv:3: expected 4 fields \\(from,to,km,mode\\), found 5" ${CLI_FIX}/base.yaml --set network.edges=edges_wrong_fields.csv)
bad_input(missing_scenario "no_such_scenario\\.yaml: scenario file not found" ${CLI_FIX}/no_such_scenario.yaml)
bad_input(unknown_model "key 'model': unknown model 'marcov'" ${CLI_FIX}/base.yaml --set model=marcov)
bad_input(bad_set_syntax "--set 'seed': expected key\\.path=value" ${CLI_FIX}/base.yaml --set seed)
bad_input(bad_cli_option "--threads: Value 0 not in range 1 to 4096" ${CLI_FIX}/base.yaml --threads 0)

# The same checks through `corridor validate`, which simulates nothing.
add_test(NAME cli.validate.bad_input COMMAND ${CMAKE_CURRENT_LIST_DIR}/expect_failure.sh $<TARGET_FILE:corridor>
         ${CLI_OUT}/validate.h5 "probability\\.yaml:4: key 'markov\\.transitions\\.0\\.p'" -- validate ${CLI_FIX}/probability.yaml)
add_test(NAME cli.validate.good COMMAND $<TARGET_FILE:corridor> validate ${CLI_FIX}/base.yaml)
set_tests_properties(cli.validate.good PROPERTIES PASS_REGULAR_EXPRESSION "OK: scenario is valid")
add_test(NAME cli.version COMMAND $<TARGET_FILE:corridor> --version)
set_tests_properties(cli.version PROPERTIES PASS_REGULAR_EXPRESSION "corridor [0-9]+\\.[0-9]+\\.[0-9]+ \\(git ")
foreach(sub run validate bench)
  add_test(NAME cli.help.${sub} COMMAND $<TARGET_FILE:corridor> ${sub} --help)
  set_tests_properties(cli.help.${sub} PROPERTIES PASS_REGULAR_EXPRESSION "Usage:")
endforeach()
# The benchmark prints machine-readable figures (it never fails on timing).
add_test(NAME cli.bench.prints_figures COMMAND $<TARGET_FILE:corridor> bench --agents 20000 --days 5 --nodes 50 --threads 2)
set_tests_properties(cli.bench.prints_figures PROPERTIES
  PASS_REGULAR_EXPRESSION "agent_steps=100000\n.*agent_steps_per_s=[0-9]+\n.*bytes_per_agent=[0-9.]+")
# Every shipped scenario validates.
file(GLOB_RECURSE SHIPPED_SCENARIOS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scenarios/*.yaml)
foreach(sc ${SHIPPED_SCENARIOS})
  file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR}/scenarios ${sc})
  # sweep files (the posterior ensembles' too) and the calibrations' specs (read by
  # scripts/calibrate.py) are not scenarios
  if(rel MATCHES "^sweeps/" OR rel MATCHES "^calibration/corridor[^/]*\\.yaml$" OR rel MATCHES "^posterior[^/]*/posterior\\.yaml$")
    continue()
  endif()
  add_test(NAME cli.validate.scenarios/${rel} COMMAND $<TARGET_FILE:corridor> validate ${sc})
  set_tests_properties(cli.validate.scenarios/${rel} PROPERTIES PASS_REGULAR_EXPRESSION "OK: scenario is valid")
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/corridor_cli_tests.cmake)  # the corridor model's scenario keys
include(${CMAKE_CURRENT_LIST_DIR}/hpc_tests.cmake)  # sweeps, multi-rank runs, checkpoints (docs/hpc.md)

# output.event_kinds (docs/scenarios.md): names must be the model's event kinds.
bad_input(event_kind_unknown
  "--set output\\.event_kinds: key 'output\\.event_kinds': model 'markov' has no event kind 'teleport' \\(its kinds: spawn, .*\\)"
  ${CLI_FIX}/base.yaml --set "output.event_kinds=[spawn, teleport]")
bad_input(event_kinds_empty
  "--set output\\.event_kinds: key 'output\\.event_kinds': expected a non-empty list of event kinds"
  ${CLI_FIX}/base.yaml --set "output.event_kinds=[]")
