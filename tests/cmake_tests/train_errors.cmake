# `kettle train` and `kettle predict` on bad input: see tests/cli/train_errors.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(train_errors.py "json")
