# Bad input for the corridor model's scenario keys (issue 3, item 11): one case per key family
# under `corridor:`. Each fixture in fixtures/corridor/ extends scenarios/defaults.yaml and
# changes one key; each case must exit 2, name the file, line and key path and what was
# expected, and leave no output file (bad_input() in cli_tests.cmake).
set(CFIX ${CMAKE_CURRENT_LIST_DIR}/fixtures/corridor)
set(DEFAULTS ${CMAKE_SOURCE_DIR}/scenarios/defaults.yaml)

# departures
bad_input(corridor.unknown_key
  "unknown_key\\.yaml:5: unknown key 'corridor\\.departures\\.bse_per_day' \\(known keys here: .*base_per_day"
  ${CFIX}/unknown_key.yaml)
bad_input(corridor.unknown_origin_node
  "unknown_origin_node\\.yaml:7: key 'corridor\\.departures\\.origins\\.1\\.node': unknown node 'XYZ' \\(not in the network\\)"
  ${CFIX}/unknown_origin_node.yaml)
bad_input(corridor.unknown_nationality
  "unknown_nationality\\.yaml:7: key 'corridor\\.departures\\.origins\\.1\\.nationality': expected one of MX, GT, HN, SV, got 'NI'"
  ${CFIX}/unknown_nationality.yaml)
bad_input(corridor.family_sizes_all_zero
  "family_sizes_all_zero\\.yaml:5: key 'corridor\\.departures\\.family_size': the weights of family sizes 2-6 must not all be zero"
  ${CFIX}/family_sizes_all_zero.yaml)
bad_input(corridor.negative_base_rate
  "--set corridor\\.departures\\.base_per_day\\.HN\\.family: key 'corridor\\.departures\\.base_per_day\\.HN\\.family': expected a non-negative number, got '-5'"
  ${DEFAULTS} --set corridor.departures.base_per_day.HN.family=-5)
# the push-factor table
bad_input(corridor.missing_push_table
  "missing_push_table\\.yaml:4: key 'corridor\\.push_factors_table': table '.*no_such_push_factors\\.csv' not found"
  ${CFIX}/missing_push_table.yaml)
bad_input(corridor.push_table_is_a_directory
  "push_table_directory\\.yaml:4: key 'corridor\\.push_factors_table': '.*push_table_dir\\.csv' is a directory, expected a file"
  ${CFIX}/push_table_directory.yaml)
bad_input(corridor.push_table_incomplete
  "push_table_incomplete\\.csv: no homicide rate, GDP per capita or population for MEX"
  ${CFIX}/push_table_incomplete.yaml)
# perception
bad_input(corridor.unknown_announcement_demographic
  "unknown_announcement_demographic\\.yaml:6: key 'corridor\\.perception\\.announcements\\.0\\.demographics': unknown demographic 'teenager'"
  ${CFIX}/unknown_announcement_demographic.yaml)
# route choice and travel
bad_input(corridor.attraction_not_border_city
  "attraction_not_border_city\\.yaml:7: key 'corridor\\.route_choice\\.attraction\\.MEX': is not a node of kind 'border_city'"
  ${CFIX}/attraction_not_border_city.yaml)
bad_input(corridor.routes_k_zero
  "routes_k_zero\\.yaml:5: key 'corridor\\.route_choice\\.k': expected an integer in \\[1, 10\\], got '0'"
  ${CFIX}/routes_k_zero.yaml)
bad_input(corridor.zero_speed
  "zero_speed\\.yaml:6: key 'corridor\\.travel\\.speed_km_per_day\\.foot': expected a positive number, got '0'"
  ${CFIX}/zero_speed.yaml)
# Mexican enforcement
bad_input(corridor.negative_detention
  "negative_detention\\.yaml:5: key 'corridor\\.mexico\\.detention_days': expected a non-negative number, got '-3'"
  ${CFIX}/negative_detention.yaml)
bad_input(corridor.unknown_asylum_node
  "unknown_asylum_node\\.yaml:5: key 'corridor\\.mexico\\.asylum_node': unknown node 'TAPACHULA'"
  ${CFIX}/unknown_asylum_node.yaml)
bad_input(corridor.interception_above_one
  "--set corridor\\.mexico\\.interception\\.crossing\\.child: key 'corridor\\.mexico\\.interception\\.crossing\\.child': expected a probability in \\[0,1\\]"
  ${DEFAULTS} --set corridor.mexico.interception.crossing.child=1.01)
# US border
bad_input(corridor.expel_share_above_one
  "expel_share_above_one\\.yaml:7: key 'corridor\\.us\\.title42\\.expel_share\\.child': expected a probability in \\[0,1\\], got '1\\.5'"
  ${CFIX}/expel_share_above_one.yaml)
bad_input(corridor.bad_title42_date
  "bad_title42_date\\.yaml:6: key 'corridor\\.us\\.title42\\.start': expected a date as YYYY-MM-DD, got '2020-02-30'"
  ${CFIX}/bad_title42_date.yaml)
bad_input(corridor.bad_switch
  "bad_switch\\.yaml:6: key 'corridor\\.us\\.title42\\.enabled': expected true or false, got 'maybe'"
  ${CFIX}/bad_switch.yaml)
bad_input(corridor.schedule_dates_decrease
  "schedule_dates_decrease\\.yaml:7: key 'corridor\\.us\\.encounter_probability\\.1\\.date': schedule dates must increase"
  ${CFIX}/schedule_dates_decrease.yaml)
bad_input(corridor.mpp_period_reversed
  "mpp_period_reversed\\.yaml:8: key 'corridor\\.us\\.mpp\\.periods\\.1\\.end': end date is before start date"
  ${CFIX}/mpp_period_reversed.yaml)
bad_input(corridor.mpp_share_child
  "mpp_share_child\\.yaml:6: key 'corridor\\.us\\.mpp\\.share\\.child': unaccompanied children are exempt from Remain in Mexico by law"
  ${CFIX}/mpp_share_child.yaml)
bad_input(corridor.retry_share_unknown_group
  "retry_share_unknown_group\\.yaml:8: key 'corridor\\.us\\.title42\\.retry_share\\.guatemalan': unknown nationality group 'guatemalan' \\(expected mexican or central_american"
  ${CFIX}/retry_share_unknown_group.yaml)
bad_input(corridor.retry_delay_negative
  "--set corridor\\.us\\.title42\\.retry_delay_days\\.central_american\\.family: key 'corridor\\.us\\.title42\\.retry_delay_days\\.central_american\\.family': expected a non-negative number, got '-1'"
  ${DEFAULTS} --set corridor.us.title42.retry_delay_days.central_american.family=-1)
# aid
bad_input(corridor.aid_allocation_above_one
  "aid_allocation_above_one\\.yaml:6: key 'corridor\\.aid\\.allocation\\.GT': expected a probability in \\[0,1\\], got '1\\.2'"
  ${CFIX}/aid_allocation_above_one.yaml)
