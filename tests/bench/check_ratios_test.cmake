# Runs bench/check_ratios.cmake on hand-made benchmark results and baselines: a CPU with
# recorded figures is held to tolerance x recorded, any other CPU to the targets alone (and
# told so), and a refresh writes the running CPU's figures without touching another CPU's.
# Inputs: SCRIPT (check_ratios.cmake), WORK_DIR (a scratch folder).
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(cpu_a_context [=[, "cpu_vendor": "AuthenticAMD", "cpu_model_name": "AMD EPYC", "cpu_family": "26", "cpu_model": "2"]=])
set(cpu_b_context [=[, "cpu_vendor": "GenuineIntel", "cpu_model_name": "INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz", "cpu_family": "6", "cpu_model": "207"]=])
set(cpu_a "AuthenticAMD AMD EPYC (family 26 model 2)")
set(cpu_b "GenuineIntel INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz (family 6 model 207)")
set(machine_a "test machine; KVM")
set(about_a "A test baseline; \"quoted\" words survive a rewrite.")

# A run in which cell/engine is `ratio` times as fast as cell/std, on the CPU that `context`
# (context fields, each after a comma) names.
function(write_results name context ratio)
  math(EXPR engine "${ratio} * 1000")
  file(WRITE "${WORK_DIR}/${name}.json" "{\"context\": {\"num_cpus\": 2${context}},
  \"benchmarks\": [
    {\"run_name\": \"cell/engine\", \"run_type\": \"aggregate\", \"aggregate_name\": \"mean\", \"items_per_second\": 1},
    {\"run_name\": \"cell/engine\", \"run_type\": \"aggregate\", \"aggregate_name\": \"median\", \"items_per_second\": ${engine}},
    {\"run_name\": \"cell/std\", \"run_type\": \"aggregate\", \"aggregate_name\": \"median\", \"items_per_second\": 1000},
    {\"run_name\": \"beta/fill\", \"run_type\": \"iteration\", \"items_per_second\": 2.5e4},
    {\"run_name\": \"beta/std\", \"run_type\": \"iteration\", \"items_per_second\": 1e3},
    {\"run_name\": \"exact/prob_greater\", \"run_type\": \"iteration\", \"items_per_second\": 1e5}
  ]}\n")
endfunction()

# CPU A recorded the cell at 20x (floor 15x at tolerance 0.75); its target is 10x.
set(baseline_text [=[{
  "about": "A test baseline; \"quoted\" words survive a rewrite.",
  "command": "scripts/run bench-guard",
  "tolerance": 0.75,
  "ratios": [
    {"name": "cell", "numerator": "cell/engine", "denominator": "cell/std", "target": 10, "gated": true},
    {"name": "draws", "numerator": "beta/fill", "denominator": "beta/std", "target": 8, "gated": false}
  ],
  "times": [
    {"name": "exact", "benchmark": "exact/prob_greater", "target_us": 20}
  ],
  "recorded": [
    {"cpu": "AuthenticAMD AMD EPYC (family 26 model 2)", "machine": "test machine; KVM",
     "how": "by hand", "figures": {"cell": 20, "draws": 30.5}}
  ]
}
]=])

set(failures "")
# Records `message` unless the condition (the remaining arguments, as if() reads them) holds.
# Strings are compared through variables, never written inline, so that they stay one token.
function(expect message)
  if(NOT (${ARGN}))
    set(failures "${failures}  ${message}\n" PARENT_SCOPE)
  endif()
endfunction()

# Runs the gate; sets passed (TRUE/FALSE) and output in the caller.
function(run_check results baseline refresh)
  execute_process(COMMAND ${CMAKE_COMMAND} -DRESULTS=${WORK_DIR}/${results}.json
                          -DBASELINE=${WORK_DIR}/${baseline} -DREFRESH=${refresh} -P ${SCRIPT}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(status EQUAL 0)
    set(passed TRUE PARENT_SCOPE)
  else()
    set(passed FALSE PARENT_SCOPE)
  endif()
  set(output "${out}${err}" PARENT_SCOPE)
endfunction()

file(WRITE "${WORK_DIR}/baseline.json" "${baseline_text}")
write_results(a_17x "${cpu_a_context}" 17)
write_results(a_12x "${cpu_a_context}" 12)
write_results(b_12x "${cpu_b_context}" 12)
write_results(b_9x "${cpu_b_context}" 9)
write_results(unnamed_12x "" 12)

# Same CPU: held to 0.75 x 20x = 15x.
run_check(a_17x baseline.json OFF)
expect("CPU A at 17x must pass its floor of 15x:\n${output}" passed)
set(held_to_figures "Figures recorded on this CPU: gated ratios must reach 0.75 x recorded.")
string(FIND "${output}" "${held_to_figures}\nRecorded: by hand" found)
expect("CPU A's run must say it is held to its recorded figures:\n${output}" found GREATER -1)
run_check(a_12x baseline.json OFF)
expect("CPU A at 12x must fail its floor of 15x:\n${output}" NOT passed)
string(FIND "${output}" "cell: 12.000x below the floor 15.000x" found)
expect("CPU A's failure must name the floor:\n${output}" found GREATER -1)

# Another CPU: held to the target of 10x alone, and told why.
run_check(b_12x baseline.json OFF)
expect("CPU B at 12x must pass the target of 10x:\n${output}" passed)
string(FIND "${output}" "No figures are recorded on this CPU (recorded on: ${cpu_a})" found)
expect("CPU B's run must say why it is held to the targets:\n${output}" found GREATER -1)
string(FIND "${output}" "ok (target 10x)" found)
expect("CPU B's ratio must be gated by its target:\n${output}" found GREATER -1)
run_check(b_9x baseline.json OFF)
expect("CPU B at 9x must fail the target of 10x:\n${output}" NOT passed)
run_check(unnamed_12x baseline.json OFF)
expect("a run naming no CPU is held to the targets:\n${output}" passed)

# A refresh on CPU B adds its entry and leaves CPU A's as it was.
file(COPY_FILE "${WORK_DIR}/baseline.json" "${WORK_DIR}/refreshed.json")
run_check(b_12x refreshed.json ON)
expect("a refresh must not fail:\n${output}" passed)
file(READ "${WORK_DIR}/refreshed.json" refreshed)
string(JSON entries ERROR_VARIABLE bad LENGTH "${refreshed}" recorded)
expect("the refresh must add CPU B's entry beside CPU A's (${bad}):\n${refreshed}" entries EQUAL 2)
if(entries EQUAL 2)
  string(JSON first_cpu GET "${refreshed}" recorded 0 cpu)
  string(JSON first_cell GET "${refreshed}" recorded 0 figures cell)
  string(JSON first_draws GET "${refreshed}" recorded 0 figures draws)
  string(JSON first_machine GET "${refreshed}" recorded 0 machine)
  string(JSON second_cpu GET "${refreshed}" recorded 1 cpu)
  string(JSON second_cell GET "${refreshed}" recorded 1 figures cell)
  string(JSON second_draws GET "${refreshed}" recorded 1 figures draws)
  expect("CPU A's entry must stay as it was:\n${refreshed}" first_cpu STREQUAL cpu_a AND
         first_cell EQUAL 20 AND first_draws STREQUAL "30.5" AND first_machine STREQUAL machine_a)
  expect("CPU B's entry must hold this run's figures:\n${refreshed}" second_cpu STREQUAL cpu_b AND
         second_cell EQUAL 12 AND second_draws EQUAL 25)
endif()
string(JSON about GET "${refreshed}" about)
expect("the rewrite must keep the file's other fields:\n${refreshed}" about STREQUAL about_a)
string(JSON gated GET "${refreshed}" ratios 0 gated)
string(JSON time_target GET "${refreshed}" times 0 target_us)
expect("the rewrite must keep ratios and times:\n${refreshed}" gated AND time_target EQUAL 20)
# ... after which CPU B is held to its own figures: 9x is below 0.75 x 12x.
write_results(b_8x "${cpu_b_context}" 8)
run_check(b_12x refreshed.json OFF)
string(FIND "${output}" "Figures recorded on this CPU" found)
expect("CPU B must now be held to its recorded figures:\n${output}" passed AND found GREATER -1)
run_check(b_8x refreshed.json OFF)
expect("CPU B at 8x must fail its floor of 9x:\n${output}" NOT passed)

# A refresh on CPU A replaces its figures only; a run naming no CPU cannot be recorded.
run_check(a_17x refreshed.json ON)
file(READ "${WORK_DIR}/refreshed.json" refreshed)
string(JSON first_cell GET "${refreshed}" recorded 0 figures cell)
string(JSON first_machine GET "${refreshed}" recorded 0 machine)
string(JSON second_cell GET "${refreshed}" recorded 1 figures cell)
expect("a refresh on CPU A must replace its figures only:\n${refreshed}" first_cell EQUAL 17 AND
       second_cell EQUAL 12 AND first_machine STREQUAL machine_a)
file(READ "${WORK_DIR}/refreshed.json" before)
run_check(unnamed_12x refreshed.json ON)
file(READ "${WORK_DIR}/refreshed.json" after)
expect("a run naming no CPU must not be recorded:\n${output}" NOT passed AND before STREQUAL after)

if(failures)
  message(FATAL_ERROR "check_ratios misbehaves:\n${failures}")
endif()
message(STATUS "check_ratios gates per CPU and refreshes one CPU's figures")
