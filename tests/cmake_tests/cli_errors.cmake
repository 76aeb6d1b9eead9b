# `kettle` command line: see tests/cli/errors.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(errors.py "json")
