# `kettle train` reaches the iris and digits 0-vs-1 targets: see tests/cli/train_targets.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(train_targets.py "json")
