# `kettle` command line: see tests/cli/info.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(info.py "json")
