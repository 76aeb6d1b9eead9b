# Included by tests/cmake_tests/cli_*.cmake (run with -DKETTLE, -DSOURCE_DIR, -DBINARY_DIR):
# runs one Python test script of this folder with a Python that can import `modules`
# (a comma-separated list), passing the program, the source folder and a fresh scratch folder.

# Sets `out` to a Python that can import `modules`, preferring the system interpreter (which
# has Debian's python3-* packages) to whatever python3 is first on PATH.
function(kettle_find_python out modules)
  foreach(candidate /usr/bin/python3 python3)
    execute_process(COMMAND ${candidate} -c "import ${modules}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(rc EQUAL 0)
      set(${out} ${candidate} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "no python3 that can import ${modules} (install python3-h5py python3-numpy)")
endfunction()

function(kettle_cli_python script modules)
  kettle_find_python(python "${modules}")
  get_filename_component(name ${script} NAME_WE)
  set(scratch ${BINARY_DIR}/test_scratch/cli_${name})
  file(REMOVE_RECURSE ${scratch})
  file(MAKE_DIRECTORY ${scratch})
  # No __pycache__ in the source tree.
  execute_process(COMMAND ${CMAKE_COMMAND} -E env PYTHONDONTWRITEBYTECODE=1
                          ${python} ${SOURCE_DIR}/tests/cli/${script} ${KETTLE} ${SOURCE_DIR} ${scratch}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "tests/cli/${script} failed (exit ${rc})")
  endif()
endfunction()
