# Installs the build into a fresh prefix, then configures, builds and runs tests/consumer, a
# separate project that finds kettle with find_package(kettle) and links kettle::simulator and
# kettle::qml. Checks what the install lays out, and the consumer's output.

set(work "${BINARY_DIR}/install_consumer")
set(prefix "${work}/prefix")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

function(run_step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install_consumer: ${name} failed (${rc})\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

run_step("cmake --install" "${CMAKE_COMMAND}" --install "${BINARY_DIR}" --prefix "${prefix}")

# Where the files land follows GNUInstallDirs; the library folder may be lib or lib64.
file(GLOB config "${prefix}/lib*/cmake/kettle/kettleConfig.cmake")
if(NOT config)
  message(FATAL_ERROR "install_consumer: no lib*/cmake/kettle/kettleConfig.cmake under ${prefix}")
endif()
get_filename_component(config_dir "${config}" DIRECTORY)
get_filename_component(lib_dir "${config_dir}/../.." ABSOLUTE)
foreach(expected
    "${config_dir}/kettleConfigVersion.cmake" "${config_dir}/kettleTargets.cmake"
    "${lib_dir}/libkettle_simulator.a" "${lib_dir}/libkettle_qml.a" "${lib_dir}/libkettle_classical.a"
    "${prefix}/include/kettle/kettle.hpp" "${prefix}/include/kettle/circuit.hpp" "${prefix}/bin/kettle")
  if(NOT EXISTS "${expected}")
    message(FATAL_ERROR "install_consumer: the install lacks ${expected}")
  endif()
endforeach()
# Every public header must be installed, and nothing from the implementation folders.
file(GLOB_RECURSE public RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/kettle/*.hpp")
foreach(header IN LISTS public)
  if(NOT EXISTS "${prefix}/include/${header}")
    message(FATAL_ERROR "install_consumer: public header ${header} was not installed")
  endif()
endforeach()
file(GLOB_RECURSE installed_headers RELATIVE "${prefix}/include" "${prefix}/include/*")
foreach(header IN LISTS installed_headers)
  if(NOT EXISTS "${SOURCE_DIR}/include/${header}")
    message(FATAL_ERROR "install_consumer: ${header} was installed but is not a public header")
  endif()
endforeach()

# The consumer is built with the same generator and compiler as kettle itself.
file(STRINGS "${BINARY_DIR}/CMakeCache.txt" generator REGEX "^CMAKE_GENERATOR:INTERNAL=")
string(REPLACE "CMAKE_GENERATOR:INTERNAL=" "" generator "${generator}")
file(STRINGS "${BINARY_DIR}/CMakeCache.txt" compiler REGEX "^CMAKE_CXX_COMPILER:")
string(REGEX REPLACE "^CMAKE_CXX_COMPILER:[A-Z]+=" "" compiler "${compiler}")

set(expected_output "00 0.500000\n01 0.000000\n10 0.000000\n11 0.500000\nweights 12\n")
foreach(enable_c OFF ON)
  set(consumer_build "${work}/build-c-${enable_c}")
  run_step("configuring the consumer (C enabled: ${enable_c})" "${CMAKE_COMMAND}"
           -S "${SOURCE_DIR}/tests/consumer" -B "${consumer_build}" -G "${generator}"
           -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_COMPILER=${compiler}" "-DCMAKE_PREFIX_PATH=${prefix}"
           -DCONSUMER_ENABLE_C=${enable_c})
  run_step("building the consumer (C enabled: ${enable_c})" "${CMAKE_COMMAND}" --build "${consumer_build}")
  run_step("running the consumer (C enabled: ${enable_c})" "${consumer_build}/consumer")
  if(NOT step_output STREQUAL expected_output)
    message(FATAL_ERROR "install_consumer: the consumer printed\n${step_output}\nexpected\n${expected_output}")
  endif()
endforeach()

# The installed program runs on its own.
run_step("running the installed kettle" "${prefix}/bin/kettle" info)
message(STATUS "install_consumer: installed to ${prefix}; the consumer built and ran")
file(REMOVE_RECURSE "${work}")
