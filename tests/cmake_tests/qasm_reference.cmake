# Every valid corpus program that the independent Python reference can simulate (no reset, no
# `if`, only terminal measurements) must give the same probabilities, to 1e-10, from
# `kettle run FILE --probs --format json` as from tests/reference/qasm_reference.py.
# Run with -DKETTLE=<kettle program> -DSOURCE_DIR=<source tree> -DBINARY_DIR=<build tree>.

set(corpus ${SOURCE_DIR}/tests/corpus/qasm/valid)
set(reference ${SOURCE_DIR}/tests/reference/qasm_reference.py)
set(out_dir ${BINARY_DIR}/qasm_reference)
file(MAKE_DIRECTORY ${out_dir})

# The reference needs numpy (Debian: python3-numpy).
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_find_python(python numpy)

file(GLOB programs ${corpus}/*.qasm)
set(compared 0)
set(failures "")
foreach(program ${programs})
  get_filename_component(name ${program} NAME_WE)
  execute_process(COMMAND ${python} ${reference} --check ${program} RESULT_VARIABLE rc OUTPUT_VARIABLE why)
  if(rc EQUAL 3)
    message(STATUS "${name}: not compared, ${why}")
    continue()
  elseif(NOT rc EQUAL 0)
    message(FATAL_ERROR "the reference cannot read ${program} (exit ${rc}): ${why}")
  endif()

  execute_process(COMMAND ${KETTLE} run ${program} --probs --format json
                  RESULT_VARIABLE rc OUTPUT_VARIABLE json ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    list(APPEND failures "${name}: kettle run exited with ${rc}: ${err}")
    continue()
  endif()
  file(WRITE ${out_dir}/${name}.json "${json}")
  execute_process(COMMAND ${python} ${reference} --compare ${out_dir}/${name}.json ${program}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE verdict)
  message(STATUS "${verdict}")
  if(NOT rc EQUAL 0)
    list(APPEND failures "${verdict}")
  endif()
  math(EXPR compared "${compared} + 1")
endforeach()

if(failures)
  string(REPLACE ";" "\n" failures "${failures}")
  message(FATAL_ERROR "kettle and the reference disagree:\n${failures}")
endif()
if(compared LESS 10)
  message(FATAL_ERROR "only ${compared} corpus programs were compared; expected at least 10")
endif()
message(STATUS "${compared} corpus programs agree with the reference")
