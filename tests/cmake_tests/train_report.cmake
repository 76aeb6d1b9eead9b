# `kettle train --report`: see tests/cli/train_report.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(train_report.py "json")
