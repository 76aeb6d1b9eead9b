# `kettle train --checkpoint/--resume/--save` and `kettle predict`: see tests/cli/train_resume.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(train_resume.py "h5py, numpy")
