#include "qasm_qelib1.hpp"

#include <array>

namespace kettle::qasm {
namespace {

using K = GateKind;

constexpr std::array kBuiltins{
    BuiltinGate{"U", K::u, 3, 1, 0, ParamMap::direct, true},
    BuiltinGate{"CX", K::x, 0, 2, 1, ParamMap::direct, true},
    BuiltinGate{"u", K::u, 3, 1},
    BuiltinGate{"u3", K::u, 3, 1},
    BuiltinGate{"u2", K::u, 2, 1, 0, ParamMap::u2},
    BuiltinGate{"p", K::p, 1, 1},
    BuiltinGate{"u1", K::p, 1, 1},
    BuiltinGate{"cx", K::x, 0, 2, 1},
    BuiltinGate{"id", K::i, 0, 1},
    BuiltinGate{"u0", K::i, 1, 1, 0, ParamMap::drop},
    BuiltinGate{"x", K::x, 0, 1},
    BuiltinGate{"y", K::y, 0, 1},
    BuiltinGate{"z", K::z, 0, 1},
    BuiltinGate{"h", K::h, 0, 1},
    BuiltinGate{"s", K::s, 0, 1},
    BuiltinGate{"sdg", K::sdg, 0, 1},
    BuiltinGate{"t", K::t, 0, 1},
    BuiltinGate{"tdg", K::tdg, 0, 1},
    BuiltinGate{"rx", K::rx, 1, 1},
    BuiltinGate{"ry", K::ry, 1, 1},
    BuiltinGate{"rz", K::rz, 1, 1},
    BuiltinGate{"sx", K::sx, 0, 1},
    BuiltinGate{"sxdg", K::sxdg, 0, 1},
    BuiltinGate{"cz", K::z, 0, 2, 1},
    BuiltinGate{"cy", K::y, 0, 2, 1},
    BuiltinGate{"swap", K::swap, 0, 2},
    BuiltinGate{"ch", K::h, 0, 2, 1},
    BuiltinGate{"ccx", K::x, 0, 3, 2},
    BuiltinGate{"cswap", K::swap, 0, 3, 1},
    BuiltinGate{"crx", K::rx, 1, 2, 1},
    BuiltinGate{"cry", K::ry, 1, 2, 1},
    BuiltinGate{"crz", K::rz, 1, 2, 1},
    BuiltinGate{"cp", K::p, 1, 2, 1},
    BuiltinGate{"cu1", K::p, 1, 2, 1},
    BuiltinGate{"cu3", K::u, 3, 2, 1},
    BuiltinGate{"csx", K::sx, 0, 2, 1},
    BuiltinGate{"cu", K::ug, 4, 2, 1},
    BuiltinGate{"rxx", K::rxx, 1, 2},
    BuiltinGate{"rzz", K::rzz, 1, 2},
    BuiltinGate{"ryy", K::ryy, 1, 2, 0, ParamMap::direct, false, true},
    BuiltinGate{"c3x", K::x, 0, 4, 3},
    BuiltinGate{"c3sqrtx", K::sx, 0, 4, 3},
    BuiltinGate{"c4x", K::x, 0, 5, 4},
};

}  // namespace

std::span<const BuiltinGate> builtin_gates() noexcept { return kBuiltins; }

const BuiltinGate* qelib1_name(GateKind kind, std::size_t controls) noexcept {
    for (const BuiltinGate& g : kBuiltins)
        if (g.kind == kind && g.controls == controls && g.map == ParamMap::direct && !g.primitive) return &g;
    return nullptr;
}

// Relative-phase Toffolis: Toffoli up to phases on some basis states, with fewer CNOTs.
const std::string_view qelib1_definitions = R"(
gate rccx a, b, c {
  u2(0, pi) c;
  u1(pi/4) c;
  cx b, c;
  u1(-pi/4) c;
  cx a, c;
  u1(pi/4) c;
  cx b, c;
  u1(-pi/4) c;
  u2(0, pi) c;
}
gate rc3x a, b, c, d {
  u2(0, pi) d;
  u1(pi/4) d;
  cx c, d;
  u1(-pi/4) d;
  u2(0, pi) d;
  cx a, d;
  u1(pi/4) d;
  cx b, d;
  u1(-pi/4) d;
  cx a, d;
  u1(pi/4) d;
  cx b, d;
  u1(-pi/4) d;
  u2(0, pi) d;
  u1(pi/4) d;
  cx c, d;
  u1(-pi/4) d;
  u2(0, pi) d;
}
)";

}  // namespace kettle::qasm
