# `kettle` command line: see tests/cli/shots.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(shots.py "json")
