# scripts/setup.sh opens both README commands, so once the packages are there it must be
# silent and succeed; and it must reject what it does not understand. Uses --check only:
# a test never installs anything.

find_program(dpkg_query dpkg-query)
if(NOT dpkg_query)
  message(STATUS "setup_script: no dpkg-query here (not Debian or Ubuntu); setup.sh does not apply")
  return()
endif()

set(script "${SOURCE_DIR}/scripts/setup.sh")
execute_process(COMMAND "${script}" --check RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "setup_script: setup.sh --check exited ${rc}; missing packages:\n${out}${err}\n"
                      "run scripts/setup.sh to install them")
endif()
if(NOT out STREQUAL "" OR NOT err STREQUAL "")
  message(FATAL_ERROR "setup_script: with nothing missing setup.sh must print nothing, it printed:\n${out}${err}")
endif()

execute_process(COMMAND "${script}" --no-such-option RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "unknown option '--no-such-option'")
  message(FATAL_ERROR "setup_script: setup.sh --no-such-option should fail with exit 2 and name the option; "
                      "got ${rc}: ${err}")
endif()
