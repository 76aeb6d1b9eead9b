#pragma once
// kettle: the whole public API.

// Simulator.
#include "kettle/bandwidth.hpp"
#include "kettle/circuit.hpp"
#include "kettle/circuit_library.hpp"
#include "kettle/error.hpp"
#include "kettle/fusion.hpp"
#include "kettle/gate.hpp"
#include "kettle/isa.hpp"
#include "kettle/measurement.hpp"
#include "kettle/parameter.hpp"
#include "kettle/pauli.hpp"
#include "kettle/qasm.hpp"
#include "kettle/resources.hpp"
#include "kettle/simulator.hpp"
#include "kettle/state_io.hpp"
#include "kettle/state_vector.hpp"
#include "kettle/system_info.hpp"
#include "kettle/version.hpp"

// Classical features.
#include "kettle/builtin_datasets.hpp"
#include "kettle/csv.hpp"
#include "kettle/dataset.hpp"
#include "kettle/feature_matrix.hpp"
#include "kettle/image.hpp"
#include "kettle/logistic_regression.hpp"
#include "kettle/metrics.hpp"
#include "kettle/pca.hpp"
#include "kettle/scaler.hpp"
#include "kettle/split.hpp"
#include "kettle/synthetic.hpp"

// Quantum machine learning.
#include "kettle/ansatz.hpp"
#include "kettle/classifier.hpp"
#include "kettle/encoding.hpp"
#include "kettle/gradient.hpp"
#include "kettle/loss.hpp"
#include "kettle/observable.hpp"
#include "kettle/optimizer.hpp"
#include "kettle/trainer.hpp"
