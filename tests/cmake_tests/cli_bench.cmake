# `kettle bench` and bench/plot_scaling.py: see tests/cli/bench.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(bench.py "json")
