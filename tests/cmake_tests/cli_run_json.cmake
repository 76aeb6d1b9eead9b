# `kettle` command line: see tests/cli/run_json.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(run_json.py "json")
