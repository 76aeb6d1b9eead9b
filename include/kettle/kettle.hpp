#pragma once
// kettle: the whole public API.

#include "kettle/circuit.hpp"
#include "kettle/error.hpp"
#include "kettle/gate.hpp"
#include "kettle/isa.hpp"
#include "kettle/measurement.hpp"
#include "kettle/parameter.hpp"
#include "kettle/pauli.hpp"
#include "kettle/qasm.hpp"
#include "kettle/encoding.hpp"
#include "kettle/scaler.hpp"
#include "kettle/resources.hpp"
#include "kettle/simulator.hpp"
#include "kettle/state_io.hpp"
#include "kettle/state_vector.hpp"
#include "kettle/system_info.hpp"
#include "kettle/version.hpp"
