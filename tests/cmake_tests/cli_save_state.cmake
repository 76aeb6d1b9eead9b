# `kettle run --save-state` read back with h5py: see tests/cli/save_state.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(save_state.py "h5py, numpy")
