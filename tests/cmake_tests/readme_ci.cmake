# The CI entry point runs exactly the test command the README gives users.
#
# .ci/run --print extracts that command from README.md; here it is checked against the README's
# own line, found independently. Run directly (not through bash) so that a lost executable bit
# on .ci/run fails here rather than in CI.

set(readme "${SOURCE_DIR}/README.md")
if(NOT EXISTS "${readme}")
  message(FATAL_ERROR "readme_ci: ${readme} is missing; the CI entry point .ci/run reads the test command from it")
endif()

file(STRINGS "${readme}" lines)
set(readme_line "")
set(inside_code OFF)
foreach(line IN LISTS lines)
  if(line MATCHES "^[ \t]*```")
    if(inside_code)
      set(inside_code OFF)
    else()
      set(inside_code ON)
    endif()
    continue()
  endif()
  string(FIND "${line}" "ctest --test-dir build" at)
  if(inside_code AND NOT at EQUAL -1)
    string(STRIP "${line}" readme_line)
    break()
  endif()
endforeach()
if(readme_line STREQUAL "")
  message(FATAL_ERROR "readme_ci: README.md has no code line containing 'ctest --test-dir build'")
endif()

execute_process(COMMAND "${SOURCE_DIR}/.ci/run" --print
                RESULT_VARIABLE rc OUTPUT_VARIABLE extracted ERROR_VARIABLE err
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "readme_ci: .ci/run --print failed (${rc}): ${err}")
endif()
if(extracted STREQUAL "")
  message(FATAL_ERROR "readme_ci: .ci/run --print printed nothing")
endif()

string(FIND "${readme_line}" "${extracted}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "readme_ci: .ci/run would run\n  ${extracted}\nbut README.md says\n  ${readme_line}")
endif()
# The suite command must build before it tests, or CI could pass on a stale build.
foreach(step "cmake -S . -B build" "cmake --build build")
  string(FIND "${extracted}" "${step}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "readme_ci: the README's test command lacks '${step}': ${extracted}")
  endif()
endforeach()
message(STATUS "readme_ci: .ci/run runs: ${extracted}")
