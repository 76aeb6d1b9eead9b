# `kettle train` and `kettle predict` on HDF5 data sets written by h5py: see tests/cli/train_hdf5.py.
include(${SOURCE_DIR}/tests/cli/run_python.cmake)
kettle_cli_python(train_hdf5.py "h5py,numpy")
