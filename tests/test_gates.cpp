// Every gate kind, control configuration and unitary width against the dense reference.

#include <gtest/gtest.h>

#include <numbers>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernels.hpp"
#include "kettle/kettle.hpp"
#include "support/precision.hpp"
#include "support/random_circuit.hpp"
#include "support/reference.hpp"

namespace kettle {
namespace {

using reference::CMatrix;
using reference::CVector;
using test::kTolerance;
using test::Random;

constexpr unsigned kMaxQubits = 10;

/// Records the worst deviation over many cases and the first few failures, so that a broken
/// kernel reports a handful of readable lines instead of thousands.
class Worst {
public:
    explicit Worst(double tolerance) : tolerance_(tolerance) {}
    void record(double diff, const std::string& what) {
        if (diff > worst_) worst_ = diff, worst_case_ = what;
        if (!(diff <= tolerance_) && ++failures_ <= 10) ADD_FAILURE() << what << ": off by " << diff;
        ++cases_;
    }
    void check() const {
        EXPECT_EQ(failures_, 0u) << failures_ << " of " << cases_ << " cases failed; worst " << worst_case_
                                 << " off by " << worst_;
        EXPECT_GT(cases_, 0u);
    }

private:
    double tolerance_;
    double worst_ = 0;
    std::string worst_case_;
    std::size_t failures_ = 0, cases_ = 0;
};

/// Runs body(name) once with each instruction set this CPU supports, the vector ones in both
/// forms of dense products (whichever this CPU defaults to), then restores the ones in use.
template <class Body>
void for_each_isa(Body&& body) {
    const Isa saved = current_isa();
    const DenseProducts saved_products = dense_products();
    for (Isa isa : supported_isas()) {
        set_isa(isa);
        for (DenseProducts products : {DenseProducts::four, DenseProducts::three}) {
            if (isa == Isa::scalar && products == DenseProducts::three) continue;
            set_dense_products(products);
            body(std::string(isa_name(isa)) + (isa == Isa::scalar ? "" : "/" + std::string(dense_products_name(products))));
        }
    }
    set_isa(saved);
    set_dense_products(saved_products);
}

/// The m qubits a gate acts on, in one of four placements: 0 low and ascending, 1 high and
/// descending, 2 the middle in random order, 3 anywhere in random order.
std::vector<unsigned> place(unsigned n, unsigned m, int placement, Random& random) {
    std::vector<unsigned> q(m);
    switch (placement) {
        case 0: for (unsigned i = 0; i < m; ++i) q[i] = i; break;
        case 1: for (unsigned i = 0; i < m; ++i) q[i] = n - 1 - i; break;
        case 2:
            for (unsigned i = 0; i < m; ++i) q[i] = (n - m) / 2 + i;
            random.shuffle(q);
            break;
        default: q = random.qubits(n, m); break;
    }
    return q;
}

/// Applies `op` (validated by a circuit) with kettle and with the reference to a random state,
/// and returns the largest amplitude difference.
template <class T>
double compare_gate(unsigned n, const Operation& op, Random& random) {
    StateVector<T> state = reference::make_state<T>(n, test::random_state(n, random));
    const CVector before = reference::to_eigen(state);  // as rounded to T
    apply_gate(state, op);
    return reference::max_abs_diff(reference::to_eigen(state), reference::apply(before, n, op, {}));
}

std::string describe(const Operation& op) {
    return fmt::format("{} targets {} controls {} values {}", op.name(), op.targets, op.controls,
                       std::vector<int>(op.control_values.begin(), op.control_values.end()));
}

/// compare_gate for an operation built by hand, validated by appending it to a circuit first.
template <class T>
double compare_appended(unsigned n, const Operation& op, Random& random) {
    Circuit circuit(n);
    circuit.append(op);
    return compare_gate<T>(n, circuit.operations()[0], random);
}

/// A `unitary` operation of matrix m on the first k of qubits q, controlled by the others with
/// random control values.
Operation controlled_unitary(const Matrix& m, const std::vector<unsigned>& q, unsigned k, Random& random) {
    Operation op;
    op.gate = GateKind::unitary;
    op.matrix = std::make_shared<const Matrix>(m);
    op.targets.assign(q.begin(), q.begin() + k);
    op.controls.assign(q.begin() + k, q.end());
    for (std::size_t i = k; i < q.size(); ++i) op.control_values.push_back(std::uint8_t(random.below(2)));
    return op;
}

/// The k-qubit permutation that moves row j to row j + 1 (mod 2^k), as a matrix.
Matrix cycle_matrix(unsigned k) {
    const std::size_t d = std::size_t{1} << k;
    Matrix m(d * d, 0.0);
    for (std::size_t j = 0; j < d; ++j) m[(j + 1) % d * d + j] = 1.0;
    return m;
}

/// The k-qubit permutation (k >= 2) that exchanges rows 0 and 1, multiplies row 2 by i and
/// leaves the others unmoved (so that the kernels leave them untouched), as a matrix.
Matrix swap_two_rows_matrix(unsigned k) {
    const std::size_t d = std::size_t{1} << k;
    Matrix m(d * d, 0.0);
    for (std::size_t j = 0; j < d; ++j) m[(j < 2 ? 1 - j : j) * d + j] = j == 2 ? std::complex<double>(0, 1) : 1.0;
    return m;
}

/// The 5-qubit cycle of cycle_matrix and the exchange of rows 0 and 1 as the permutation
/// kernels take them (row j goes to perm[j]).
constexpr std::array<std::uint8_t, 32> kCycle32 = [] {
    std::array<std::uint8_t, 32> perm{};
    for (unsigned j = 0; j < 32; ++j) perm[j] = std::uint8_t((j + 1) % 32);
    return perm;
}();
constexpr std::array<std::uint8_t, 32> kSwap32 = [] {
    std::array<std::uint8_t, 32> perm{};
    for (unsigned j = 0; j < 32; ++j) perm[j] = std::uint8_t(j < 2 ? 1 - j : j);
    return perm;
}();

/// The site of `op` (its targets, and its controls with their values) as the kernels take it.
detail::SiteLayout site_of(const Operation& op) {
    std::uint64_t mask = 0, ctrl_value = 0;
    for (std::size_t c = 0; c < op.controls.size(); ++c) {
        ctrl_value |= std::uint64_t{op.control_values[c]} << op.controls[c];
        mask |= std::uint64_t{1} << op.controls[c];
    }
    for (unsigned t : op.targets) mask |= std::uint64_t{1} << t;
    detail::SiteLayout site{};
    detail::layout_site(site, op.targets.data(), unsigned(op.targets.size()), mask, ctrl_value);
    return site;
}

/// A monomial `op`'s matrix in the permutation kernels' form: psi'[perm[j]] = phase[j] psi[j].
template <class T>
void permutation_of(const Operation& op, std::vector<std::complex<T>>& phase, std::vector<std::uint8_t>& perm) {
    const std::size_t d = std::size_t{1} << op.targets.size();
    phase.assign(d, std::complex<T>(0));
    perm.assign(d, 0);
    for (std::size_t r = 0; r < d; ++r)
        for (std::size_t j = 0; j < d; ++j)
            if ((*op.matrix)[r * d + j] != 0.0) phase[j] = std::complex<T>((*op.matrix)[r * d + j]), perm[j] = std::uint8_t(r);
}

TEST(GateMatrix, MatchesTextbookDefinitions) {
    Random random(1);
    for (unsigned k = 0; k < unsigned(GateKind::unitary); ++k) {
        const GateKind kind = GateKind(k);
        const GateInfo& info = gate_info(kind);
        for (int trial = 0; trial < 20; ++trial) {
            std::vector<double> params(info.num_params);
            for (double& p : params) p = trial == 0 ? 0.0 : random.angle();
            const CMatrix kettle_matrix = reference::to_eigen(gate_matrix(kind, params));
            const CMatrix textbook = reference::textbook_matrix(kind, params);
            ASSERT_EQ(kettle_matrix.rows(), textbook.rows()) << info.name;
            EXPECT_LT((kettle_matrix - textbook).cwiseAbs().maxCoeff(), 1e-14)
                << info.name << " with parameters " << fmt::format("{}", params);
            // The declared shape picks the kernel class, so it must describe the matrix.
            if (info.shape == MatrixShape::diagonal) {
                EXPECT_TRUE(kettle_matrix.isDiagonal(0.0)) << info.name;
            }
            if (info.shape == MatrixShape::permutation) {
                for (Eigen::Index c = 0; c < kettle_matrix.cols(); ++c)
                    EXPECT_EQ((kettle_matrix.col(c).array() != 0.0).count(), 1) << info.name;
            }
        }
    }
}

TEST(GateMatrix, UnitaryHasNoBuiltInMatrix) {
    EXPECT_THROW((void)gate_matrix(GateKind::unitary, {}), Error);
}

TEST(GateInfo, NamesAndArities) {
    EXPECT_EQ(gate_info(GateKind::p).name, "p");
    EXPECT_EQ(gate_info(GateKind::u).num_params, 3u);
    EXPECT_EQ(gate_info(GateKind::ug).num_params, 4u);
    EXPECT_EQ(gate_info(GateKind::swap).num_targets, 2u);
    EXPECT_EQ(gate_info(GateKind::rzz).shape, MatrixShape::diagonal);
    EXPECT_EQ(gate_info(GateKind::unitary).num_targets, 0u);
}

template <class T>
class Gates : public ::testing::Test {};
TYPED_TEST_SUITE(Gates, test::Precisions, test::PrecisionName);

// Every named gate with 0..3 controls, every pattern of control values, four placements of
// its qubits (low, high, middle, scattered; in unsorted order), on n = 1..10 qubits, with
// every instruction set's kernels.
TYPED_TEST(Gates, EveryKindEveryControlConfiguration) {
    Random random(2);
    Worst worst(kTolerance<TypeParam>);
    for_each_isa([&](const std::string& isa) {
        for (unsigned n = 1; n <= kMaxQubits; ++n)
            for (unsigned kind = 0; kind < unsigned(GateKind::unitary); ++kind) {
                const GateInfo& info = gate_info(GateKind(kind));
                const unsigned k = info.num_targets;
                for (unsigned c = 0; c <= 3 && k + c <= n; ++c)
                    for (int placement = 0; placement < 4; ++placement)
                        for (unsigned pattern = 0; pattern < (1u << c); ++pattern) {
                            // Every pattern of control values for scattered qubits; for the
                            // fixed placements one pattern per n, cycling through them all.
                            if (placement != 3 && pattern != (n + unsigned(placement)) % (1u << c)) continue;
                            const std::vector<unsigned> q = place(n, k + c, placement, random);
                            std::vector<ParamExpr> params;
                            for (unsigned i = 0; i < info.num_params; ++i) params.emplace_back(random.angle());
                            std::vector<std::uint8_t> values;
                            for (unsigned i = 0; i < c; ++i) values.push_back(std::uint8_t(pattern >> i & 1));
                            Circuit circuit(n);
                            circuit.add(GateKind(kind), {q.begin(), q.begin() + k}, params, {q.begin() + k, q.end()},
                                        values);
                            const Operation& op = circuit.operations()[0];
                            worst.record(compare_gate<TypeParam>(n, op, random),
                                         fmt::format("{} n={} {}", isa, n, describe(op)));
                        }
            }
    });
    worst.check();
}

// Gates on qubits far apart walk memory differently (kStreamFarHalfBytes: 1-qubit gates store
// the upper half with streaming stores; kOneStreamBytes: diagonal gates take one entry's
// amplitudes at a time). With every distance counted as far, small states run those kernels:
// dense 1-qubit gates, real or imaginary entries (H, RY, RX), permutations with a phase (Y)
// and without (X), diagonal gates of 1..3 qubits (phases, signs, general); each alone and
// with a control above the targets and below them (qubit 3, above every register: the
// 1-qubit kernels keep their stores there), on states of an odd and an even number of
// register groups.
struct FarDistancesForTest {
    explicit FarDistancesForTest(detail::FarDistances d) { detail::set_far_distances(d); }
    ~FarDistancesForTest() { detail::set_far_distances(saved); }
    const detail::FarDistances saved = detail::far_distances();
};

TYPED_TEST(Gates, FarLayoutsEqualReference) {
    Random random(9);
    Worst worst(kTolerance<TypeParam>);
    const FarDistancesForTest far({0, 0});
    for_each_isa([&](const std::string& isa) {
        for (unsigned n : {4u, 5u, 6u, 9u}) {
            auto check = [&](const Operation& op) {
                worst.record(compare_appended<TypeParam>(n, op, random), fmt::format("{} n={} {}", isa, n, describe(op)));
            };
            for (GateKind kind : {GateKind::u, GateKind::sx, GateKind::h, GateKind::ry, GateKind::rx, GateKind::y,
                                  GateKind::x, GateKind::z, GateKind::t, GateKind::p, GateKind::rz, GateKind::rzz})
                for (int placement = 0; placement < 4; ++placement)
                    for (int control : {-1, 3, int(n) - 1}) {
                        const unsigned k = gate_info(kind).num_targets;
                        std::vector<unsigned> q = place(n, k, placement, random);
                        if (control >= 0 && std::find(q.begin(), q.end(), unsigned(control)) != q.end()) continue;
                        std::vector<ParamExpr> params;
                        for (unsigned i = 0; i < gate_info(kind).num_params; ++i) params.emplace_back(random.angle());
                        Circuit circuit(n);
                        std::vector<unsigned> controls;
                        if (control >= 0) controls.push_back(unsigned(control));
                        circuit.add(kind, q, params, controls);
                        check(circuit.operations()[0]);
                    }
            for (unsigned k = 1; k + 1 <= std::min(n, 4u); ++k)
                for (int placement = 0; placement < 4; ++placement) {
                    const std::vector<unsigned> q = place(n, k + 1, placement, random);
                    const auto diagonal = [&](unsigned width) {
                        return test::random_unitary(width, test::UnitaryShape::diagonal, random);
                    };
                    check(controlled_unitary(diagonal(k), q, k, random));
                    check(controlled_unitary(diagonal(k + 1), q, k + 1, random));
                }
        }
    });
    worst.check();
}

// The same kernels on a state large enough for threads (each thread's streaming stores fenced
// before the gate returns): the same amplitudes as the kernels for near qubits.
TYPED_TEST(Gates, FarLayoutsOnThreadsEqualNearOnes) {
    Random random(10);
    Worst worst(0.0);
    constexpr unsigned n = 18;
    for (GateKind kind : {GateKind::u, GateKind::h, GateKind::x, GateKind::z, GateKind::rzz}) {
        const unsigned k = gate_info(kind).num_targets;
        const std::vector<unsigned> q = place(n, k, 1, random);
        std::vector<ParamExpr> params;
        for (unsigned i = 0; i < gate_info(kind).num_params; ++i) params.emplace_back(random.angle());
        Circuit circuit(n);
        circuit.add(kind, q, params);
        const StateVector<TypeParam> initial = reference::make_state<TypeParam>(n, test::random_state(n, random));
        StateVector<TypeParam> near = initial, far = initial;
        apply_gate(near, circuit.operations()[0]);
        {
            const FarDistancesForTest all_far({0, 0});
            apply_gate(far, circuit.operations()[0]);
        }
        worst.record(reference::max_abs_diff(reference::to_eigen(far), reference::to_eigen(near)),
                     describe(circuit.operations()[0]));
    }
    worst.check();
}

// Diagonal gates on a state out of cache (4 MiB, above detail::kInCacheBytes) whose site does
// not lie wholly kOneStreamBytes up take one pass in address order (KernelTable::
// diagonal_sweep): 1..6 targets with 0..2 controls (random values) from qubit 2 up, in the
// middle in random order, and anywhere; entries 1 (runs skipped, or not visited where every
// other entry shares a target's value), -1 (negated) and any phase; every instruction set
// against the reference.
TYPED_TEST(Gates, DiagonalSweepEqualsReference) {
    Random random(12);
    Worst worst(kTolerance<TypeParam>);
    const unsigned n = sizeof(TypeParam) == 8 ? 18 : 19;
    const Isa saved = current_isa();
    for (unsigned k = 1; k <= 6; ++k)
        for (int placement = 0; placement < 3; ++placement)
            for (unsigned c = 0; c <= 2; ++c) {
                std::vector<unsigned> q(k + c);
                for (unsigned i = 0; i < k + c; ++i) q[i] = 2 + i;
                if (placement > 0) q = place(n, k + c, placement + 1, random);
                const std::size_t d = std::size_t{1} << k;
                Matrix m(d * d, 0.0);
                // In half the cases every entry whose first target bit is clear is 1: the sweep
                // then visits only the runs where that bit is set.
                const bool half_ones = (k + c + unsigned(placement)) % 2 == 0;
                for (std::size_t j = 0; j < d; ++j) {
                    const unsigned kind = half_ones && j % 2 == 0 ? 0 : random.below(3);
                    m[j * d + j] = kind == 0 ? 1.0 : kind == 1 ? -1.0 : std::polar(1.0, random.angle());
                }
                Circuit circuit(n);
                circuit.append(controlled_unitary(m, q, k, random));
                const Operation& op = circuit.operations()[0];
                const StateVector<TypeParam> initial = reference::make_state<TypeParam>(n, test::random_state(n, random));
                const CVector expected = reference::apply(reference::to_eigen(initial), n, op, {});
                for (Isa isa : supported_isas()) {
                    set_isa(isa);
                    StateVector<TypeParam> state = initial;
                    apply_gate(state, op);
                    worst.record(reference::max_abs_diff(reference::to_eigen(state), expected),
                                 fmt::format("{} {}", isa_name(isa), describe(op)));
                }
            }
    set_isa(saved);
    worst.check();
}

// Dense gates of 2 and 3 qubits and permutations of 2..4 by the skewed kernels, and
// permutations of 5 and 6 by the strip kernels (every distance taken as far; 4-qubit dense
// gates keep theirs, and so do the four-product tables' dense gates): ranges of part of the
// ring, many times round it on one thread (n = 13), and on threads (n = 16, the highest qubits;
// their strips too); controls (random placements: some below 256 bytes or a strip, which keep
// the plain kernels), a cycle of X-like moves with every phase 1, and SWAP (its fixed points
// keep permutation_kernel).
TYPED_TEST(Gates, SkewedRowsEqualReference) {
    Random random(11);
    Worst worst(kTolerance<TypeParam>);
    const FarDistancesForTest skewed({detail::kStreamFarHalfBytes, detail::kOneStreamBytes, 0, 0});
    // The thresholds forced to 0 do select the skewed kernels where the tables have them.
    for (Isa isa : supported_isas()) {
        if (isa == Isa::scalar) continue;
        const Isa saved = current_isa();
        const DenseProducts saved_products = dense_products();
        set_isa(isa);
        set_dense_products(DenseProducts::three);
        const unsigned targets[] = {14, 15};
        const std::vector<std::complex<TypeParam>> matrix(16, std::complex<TypeParam>(0.5));
        const std::uint8_t perm[] = {1, 0, 3, 2};
        using Prepared = detail::PreparedGate<TypeParam>;
        EXPECT_TRUE(Prepared(detail::KernelClass::dense, 16, targets, 2, 0, 0, matrix.data(), nullptr).skewed());
        EXPECT_TRUE(Prepared(detail::KernelClass::permutation, 16, targets, 2, 0, 0, matrix.data(), perm).skewed());
        // Five targets: the strips, where every site bit, controls too, lies a strip up (4 KiB:
        // qubit 8 in double, 9 in single).
        const unsigned high[] = {11, 12, 13, 14, 15}, low[] = {7, 12, 13, 14, 15}, eight[] = {8, 12, 13, 14, 15};
        const std::vector<std::complex<TypeParam>> ones(32, std::complex<TypeParam>(1));
        const auto strips = [&](const unsigned* targets, std::uint64_t ctrl_mask) {
            return Prepared(detail::KernelClass::permutation, 16, targets, 5, ctrl_mask, 0, ones.data(), kCycle32.data())
                .skewed();
        };
        EXPECT_TRUE(strips(high, 0));
        EXPECT_FALSE(strips(low, 0));
        EXPECT_FALSE(strips(high, std::uint64_t{1} << 7));
        EXPECT_EQ(strips(eight, 0), (std::is_same_v<TypeParam, double>));
        set_dense_products(DenseProducts::four);
        EXPECT_FALSE(Prepared(detail::KernelClass::dense, 16, targets, 2, 0, 0, matrix.data(), nullptr).skewed());
        set_isa(saved);
        set_dense_products(saved_products);
    }
    for_each_isa([&](const std::string& isa) {
        // The four-product tables have the same permutation kernels and no skewed dense ones.
        if (isa.ends_with("/four")) return;
        for (unsigned n : {5u, 9u, 13u, 16u})
            for (unsigned k = 2; k <= 6 && k <= n; ++k)
                for (int placement = 1; placement < (n < 16 ? 4 : 2); ++placement)
                    for (unsigned c = 0; c <= (n < 16 ? 2u : 1u) && k + c <= n; ++c) {
                        const std::vector<unsigned> q = place(n, k + c, placement, random);
                        const Matrix cycle = cycle_matrix(k);
                        for (const Matrix& m : {k <= 4 ? test::random_unitary(k, test::UnitaryShape::dense, random) : cycle,
                                                test::random_unitary(k, test::UnitaryShape::monomial, random), cycle,
                                                swap_two_rows_matrix(k)}) {
                            const Operation op = controlled_unitary(m, q, k, random);
                            worst.record(compare_appended<TypeParam>(n, op, random),
                                         fmt::format("{} n={} {}", isa, n, describe(op)));
                        }
                        if (k == 2 && c == 0) {
                            Circuit circuit(n);
                            circuit.add(GateKind::swap, q);
                            worst.record(compare_gate<TypeParam>(n, circuit.operations()[0], random),
                                         fmt::format("{} n={} swap {}", isa, n, q));
                        }
                    }
    });
    worst.check();
}

// The skewed kernels (dense, permutation) called directly over ranges cut anywhere (a thread's range may begin and
// end inside a step of the ring, or hold a single group), and the strip kernels (5 and 6
// qubits, n = 16; ranges that begin and end inside a strip): every piece equals the reference.
// Their site bits lie 256 bytes up or more (qubit 5 in single precision), or a strip (qubit 9),
// as they require. At n = 16 one call takes over 128 steps, so the kernel's table of step bases
// wraps round.
TYPED_TEST(Gates, SkewedKernelsOverRangesCutAnywhere) {
    using C = std::complex<TypeParam>;
    Random random(12);
    Worst worst(kTolerance<TypeParam>);
    for (unsigned n : {12u, 16u})  // 16: over 128 steps in one call, round the table of bases
    for (Isa isa : supported_isas())
        for (DenseProducts products : {DenseProducts::four, DenseProducts::three})
            for (unsigned k : {2u, 3u, 5u, 6u})
                for (bool controlled : {false, true})
                for (bool dense : {true, false}) {
                    const detail::KernelTable<TypeParam>& table = detail::kernel_table<TypeParam>(isa, products);
                    const bool strips = k >= 5;
                    const auto kernel = (dense ? table.dense_skewed : strips ? table.permutation_strips : table.permutation_skewed)[k - 1];
                    if (kernel == nullptr || (strips && n < 16)) continue;
                    std::vector<unsigned> q = k == 2   ? std::vector<unsigned>{9, 5}
                                              : k == 3 ? std::vector<unsigned>{5, 10, 7}
                                              : k == 5 ? std::vector<unsigned>{9, 13, 10, 15, 12}
                                                       : std::vector<unsigned>{9, 13, 10, 15, 12, 14};
                    if (controlled) q.push_back(11);
                    const auto shape = dense ? test::UnitaryShape::dense : test::UnitaryShape::monomial;
                    const Operation op = controlled_unitary(test::random_unitary(k, shape, random), q, k, random);
                    const detail::SiteLayout site = site_of(op);
                    // The dense matrix, or the permutation's phases.
                    std::vector<C> matrix;
                    std::vector<std::uint8_t> perm(std::size_t{1} << k);
                    if (dense)
                        for (const auto& e : *op.matrix) matrix.push_back(C(e));
                    else
                        permutation_of(op, matrix, perm);
                    StateVector<TypeParam> state = reference::make_state<TypeParam>(n, test::random_state(n, random));
                    const CVector before = reference::to_eigen(state);
                    detail::CacheAlignedVector<TypeParam> ring((strips ? detail::kStripBytes : detail::skewed_ring_bytes(k)) /
                                                               sizeof(TypeParam));
                    const std::uint64_t groups = (std::uint64_t{1} << (n - site.count)) >> table.log2_width;
                    std::vector<std::uint64_t> cuts{0, 1, 2, 7, groups - 3, groups - 1, groups};
                    for (int c = 0; c < 6; ++c) cuts.push_back(random.below(groups));
                    std::sort(cuts.begin(), cuts.end());
                    for (std::size_t c = 0; c + 1 < cuts.size(); ++c)
                        if (cuts[c] < cuts[c + 1]) {
                            // As if each piece ran on another thread: nothing left in the ring.
                            std::fill(ring.begin(), ring.end(), TypeParam(1000));
                            kernel(state.data(), site, matrix.data(), perm.data(), ring.data(), cuts[c], cuts[c + 1]);
                        }
                    worst.record(reference::max_abs_diff(reference::to_eigen(state), reference::apply(before, n, op, {})),
                                 fmt::format("{}/{} {}", isa_name(isa), dense_products_name(products), describe(op)));
                }
    worst.check();
}

// Permutations of 4 to 6 targets out of cache within blocks of kPermutationBlockBytes that
// move or change the phase of every row take the block kernel (4 MiB: n = 18 in double, 19 in
// single; not in cache, nor with a target on qubit 10, a control, or an unmoved row): a cycle
// and random monomials on qubits 3..8 (the block at most 8 KiB), and beside them gates that
// keep the group kernel: one with rows 0 and 1 exchanged, row 2 times i and the others
// unmoved, and a controlled cycle.
TYPED_TEST(Gates, PermutationBlocksEqualReference) {
    Random random(13);
    Worst worst(kTolerance<TypeParam>);
    constexpr unsigned n = std::is_same_v<TypeParam, double> ? 18 : 19;
    for (Isa isa : supported_isas()) {
        if (isa == Isa::scalar) continue;
        const Isa saved = current_isa();
        set_isa(isa);
        const std::vector<std::complex<TypeParam>> ones(32, std::complex<TypeParam>(1));
        const std::uint8_t *cycle = kCycle32.data(), *swap = kSwap32.data();
        const unsigned inside[] = {3, 5, 6, 7, 8}, beyond[] = {3, 5, 6, 7, 10};
        const auto blocks = [&](unsigned qubits, const unsigned* targets, std::uint64_t ctrl_mask, const std::uint8_t* perm) {
            return detail::PreparedGate<TypeParam>(detail::KernelClass::permutation, qubits, targets, 5, ctrl_mask, 0,
                                                   ones.data(), perm)
                .runs_permutation_blocks();
        };
        EXPECT_TRUE(blocks(n, inside, 0, cycle));
        EXPECT_FALSE(blocks(n, beyond, 0, cycle));
        EXPECT_FALSE(blocks(16, inside, 0, cycle));
        EXPECT_FALSE(blocks(n, inside, std::uint64_t{1} << 4, cycle));
        EXPECT_FALSE(blocks(n, inside, 0, swap));
        // (targets, controls, matrix): 0 a cycle, 1 a random monomial, 2 unmoved rows.
        for (auto [k, c, form] : {std::tuple{4u, 0u, 0}, std::tuple{5u, 0u, 1}, std::tuple{6u, 0u, 1}, std::tuple{5u, 0u, 2},
                                  std::tuple{4u, 1u, 0}}) {
            std::vector<unsigned> q{3, 4, 5, 6, 7, 8};
            random.shuffle(q);
            q.resize(k + c);
            const Matrix m = form == 0   ? cycle_matrix(k)
                             : form == 1 ? test::random_unitary(k, test::UnitaryShape::monomial, random)
                                         : swap_two_rows_matrix(k);
            const Operation op = controlled_unitary(m, q, k, random);
            worst.record(compare_appended<TypeParam>(n, op, random), fmt::format("{} {}", isa_name(isa), describe(op)));
        }
        set_isa(saved);
    }
    worst.check();
}

// The block kernel called directly over ranges of blocks cut anywhere, on n = 12 (the kernel
// does not ask whether the state is in cache), with up to two controls (which it handles,
// though the dispatch gives it none) and in single blocks up to qubit 9 (the whole buffer):
// every piece equals the reference.
TYPED_TEST(Gates, PermutationBlocksOverRangesCutAnywhere) {
    using C = std::complex<TypeParam>;
    Random random(14);
    Worst worst(kTolerance<TypeParam>);
    constexpr unsigned n = 12;
    for (Isa isa : supported_isas())
        for (unsigned k = 1; k <= 6; ++k)
            for (unsigned c = 0; c <= std::min(2u, 6 - k); ++c) {
                const detail::KernelTable<TypeParam>& table = detail::kernel_table<TypeParam>(isa, dense_products());
                if (table.permutation_blocks == nullptr) continue;
                std::vector<unsigned> q{3, 4, 5, 6, 7, 8};
                if (std::is_same_v<TypeParam, float>) q.push_back(9);
                random.shuffle(q);
                q.resize(k + c);
                const Operation op =
                    controlled_unitary(test::random_unitary(k, test::UnitaryShape::monomial, random), q, k, random);
                const detail::SiteLayout site = site_of(op);
                std::vector<C> phase;
                std::vector<std::uint8_t> perm;
                permutation_of(op, phase, perm);
                StateVector<TypeParam> state = reference::make_state<TypeParam>(n, test::random_state(n, random));
                const CVector before = reference::to_eigen(state);
                const unsigned top = 63 - unsigned(std::countl_zero(site.site_mask));
                const std::uint64_t blocks = std::uint64_t{1} << (n - top - 1);
                std::vector<std::uint64_t> cuts{0, 1, blocks - 1, blocks};
                for (int i = 0; i < 4; ++i) cuts.push_back(random.below(blocks));
                std::sort(cuts.begin(), cuts.end());
                for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
                    if (cuts[i] < cuts[i + 1])
                        table.permutation_blocks(state.data(), site, phase.data(), perm.data(), cuts[i], cuts[i + 1]);
                worst.record(reference::max_abs_diff(reference::to_eigen(state), reference::apply(before, n, op, {})),
                             fmt::format("{} {}", isa_name(isa), describe(op)));
            }
    worst.check();
}

// 1-qubit unitaries diag(e^{i a pi/4}, e^{i b pi/4}) R diag(e^{i c pi/4}, e^{i d pi/4}), R a
// real rotation (of 0, 90 degrees or a generic angle): every pattern of real, imaginary and
// complex entries that unitaries have (each kernel the dispatcher picks by it: dense_real,
// dense_rx, dense_two_complex, the general one), on a qubit above the register and on qubits
// 0 and 1, with and without a control.
TYPED_TEST(Gates, OneQubitGatesOfEveryEntryPattern) {
    Random random(23);
    Worst worst(kTolerance<TypeParam>);
    const unsigned n = 7;
    using Z = std::complex<double>;
    const auto phase = [](unsigned eighths) { return std::polar(1.0, double(eighths) * std::numbers::pi / 4); };
    for_each_isa([&](const std::string& isa) {
        for (double angle : {0.0, std::numbers::pi / 2, 0.7})
            for (unsigned pattern = 0; pattern < 256; ++pattern) {
                const Z p0 = phase(pattern & 3), p1 = phase(pattern >> 2 & 3), q0 = phase(pattern >> 4 & 3),
                        q1 = phase(pattern >> 6 & 3);
                const double c = std::cos(angle), s = std::sin(angle);
                // Entries of exactly zero real or imaginary part where the phases make them so.
                const auto snap = [](Z z) {
                    const auto clean = [](double x) { return std::abs(x) < 1e-15 ? 0.0 : x; };
                    return Z(clean(z.real()), clean(z.imag()));
                };
                const Matrix m{snap(p0 * c * q0), snap(-p0 * s * q1), snap(p1 * s * q0), snap(p1 * c * q1)};
                for (unsigned target : {4u, 0u, 1u})
                    for (bool controlled : {false, true}) {
                        std::vector<unsigned> q{target};
                        if (controlled) q.push_back(n - 1 - (pattern & 1));
                        const Operation op = controlled_unitary(m, q, 1, random);
                        worst.record(compare_appended<TypeParam>(n, op, random),
                                     fmt::format("{} angle={} pattern={} {}", isa, angle, pattern, describe(op)));
                    }
            }
    });
    worst.check();
}

// k-qubit unitaries for k = 1..6 of each shape (so that each kernel class runs at every
// width), with 0..3 controls, on every n from k to 10.
TYPED_TEST(Gates, UnitaryOfEveryWidthAndShape) {
    Random random(3);
    Worst worst(kTolerance<TypeParam>);
    for_each_isa([&](const std::string& isa) {
        for (unsigned k = 1; k <= 6; ++k)
            for (unsigned n = k; n <= kMaxQubits; ++n)
                for (auto shape :
                     {test::UnitaryShape::dense, test::UnitaryShape::diagonal, test::UnitaryShape::monomial})
                    for (unsigned c = 0; c <= 3 && k + c <= n; ++c) {
                        const int placement = int(n + c) % 4;
                        const std::vector<unsigned> q = place(n, k + c, placement, random);
                        const Operation op = controlled_unitary(test::random_unitary(k, shape, random), q, k, random);
                        worst.record(compare_appended<TypeParam>(n, op, random),
                                     fmt::format("{} n={} shape={} {}", isa, n, int(shape), describe(op)));
                    }
    });
    worst.check();
}

// Diagonal unitaries whose entries are exactly 1 (left unread and unwritten), exactly -1
// (negated) or a general phase, in every mixture from one entry off 1 to none equal to 1, for
// k = 1..6 with 0..2 controls, every placement, on n = k..10: the kernels' skipped entries, their
// sign-only form and the in-register blocks of each kind.
TYPED_TEST(Gates, DiagonalsWithUnitAndSignEntries) {
    Random random(5);
    Worst worst(kTolerance<TypeParam>);
    for_each_isa([&](const std::string& isa) {
        for (unsigned k = 1; k <= 6; ++k)
            for (unsigned n = k; n <= kMaxQubits; ++n)
                for (int mixture = 0; mixture < 4; ++mixture)
                    for (unsigned c = 0; c <= 2 && k + c <= n; ++c) {
                        const std::size_t d = std::size_t{1} << k;
                        Matrix m(d * d, 0.0);
                        for (std::size_t j = 0; j < d; ++j) {
                            // 0: one entry -1, 1: one entry a phase, 2: 1s and -1s, 3: all three.
                            const unsigned draw = mixture == 2 ? random.below(2) : random.below(3);
                            std::complex<double> e = draw == 0 ? 1.0 : draw == 1 ? -1.0 : std::polar(1.0, random.angle());
                            if (mixture < 2) e = j + 1 == d ? (mixture == 0 ? -1.0 : std::polar(1.0, random.angle())) : 1.0;
                            m[j * d + j] = e;
                        }
                        const std::vector<unsigned> q = place(n, k + c, int(n + c + unsigned(mixture)) % 4, random);
                        const Operation op = controlled_unitary(m, q, k, random);
                        worst.record(compare_appended<TypeParam>(n, op, random),
                                     fmt::format("{} n={} mixture={} {}", isa, n, mixture, describe(op)));
                    }
    });
    worst.check();
}

// Dense 1- and 2-qubit unitaries whose entries are all real (random orthogonal matrices: the
// kernels of KernelTable::dense_real) and 1-qubit ones with a real diagonal and an imaginary
// off-diagonal (random RX-like: dense_rx), with 0..2 controls, every placement (targets
// inside the register included), on n = k..10.
TYPED_TEST(Gates, RealAndRxLikeUnitaries) {
    Random random(6);
    Worst worst(kTolerance<TypeParam>);
    for_each_isa([&](const std::string& isa) {
        for (auto [k, rx_like] : {std::pair{1u, false}, std::pair{2u, false}, std::pair{1u, true}})
            for (unsigned n = k; n <= kMaxQubits; ++n)
                for (int placement = 0; placement < 4; ++placement)
                    for (unsigned c = 0; c <= 2 && k + c <= n; ++c) {
                        const auto d = static_cast<Eigen::Index>(1u << k);
                        Matrix m(std::size_t(d * d));
                        if (rx_like) {
                            const double t = random.angle(), u = random.angle();
                            // [[cos t, i sin t e], [i sin t / e, cos t]] with e = +-1: unitary.
                            const double e = u > 0 ? 1.0 : -1.0;
                            m = {std::cos(t), std::complex<double>(0, std::sin(t) * e),
                                 std::complex<double>(0, std::sin(t) * e), std::cos(t)};
                        } else {
                            Eigen::MatrixXd g(d, d);
                            for (Eigen::Index r = 0; r < d; ++r)
                                for (Eigen::Index col = 0; col < d; ++col) g(r, col) = random.normal();
                            const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ();
                            for (Eigen::Index r = 0; r < d; ++r)
                                for (Eigen::Index col = 0; col < d; ++col) m[std::size_t(r * d + col)] = q(r, col);
                        }
                        const std::vector<unsigned> q = place(n, k + c, placement, random);
                        const Operation op = controlled_unitary(m, q, k, random);
                        worst.record(compare_appended<TypeParam>(n, op, random),
                                     fmt::format("{} n={} rx_like={} {}", isa, n, rx_like, describe(op)));
                    }
    });
    worst.check();
}

// The unitary builder: row/column bit j of the matrix is targets[j].
TYPED_TEST(Gates, UnitaryBuilderTargetOrder) {
    // |b1 b0> -> |b0 b1> composed with a phase on |01>: not symmetric in its targets.
    Matrix m(16, 0.0);
    m[0 * 4 + 0] = 1;
    m[2 * 4 + 1] = std::complex<double>(0, 1);
    m[1 * 4 + 2] = 1;
    m[3 * 4 + 3] = 1;
    Circuit c(3);
    c.x(2).unitary(m, {2, 0});  // targets[0] = qubit 2 holds the excitation: column 1
    const StateVector<TypeParam> state = simulate<TypeParam>(c);
    EXPECT_NEAR(std::abs(state[0b001] - std::complex<TypeParam>(0, 1)), 0.0, kTolerance<TypeParam>);
}

TYPED_TEST(Gates, RandomCircuitsMatchReference) {
    Worst worst(test::kLooseTolerance<TypeParam>);
    for_each_isa([&](const std::string& isa) {
        for (unsigned n = 1; n <= kMaxQubits; ++n)
            for (std::uint64_t seed = 0; seed < 3; ++seed) {
                const auto [circuit, values] = test::random_circuit(n, 50, 100 * n + seed);
                Random random(seed);
                const CVector psi = test::random_state(n, random);
                const StateVector<TypeParam> initial = reference::make_state<TypeParam>(n, psi);
                const CVector expected = reference::run(circuit, reference::to_eigen(initial));
                // Unfused, and fused into blocks of up to 2, 4 and 6 qubits.
                for (unsigned fusion : {0u, 2u, 4u, 6u}) {
                    StateVector<TypeParam> state = initial;
                    run(circuit, state, {}, RunOptions{0, fusion});
                    worst.record(reference::max_abs_diff(reference::to_eigen(state), expected),
                                 fmt::format("{} fusion={} random circuit n={} seed={}", isa, fusion, n, seed));
                    EXPECT_NEAR(state.norm_squared(), 1.0, 10 * test::kLooseTolerance<TypeParam>);
                }
            }
    });
    worst.check();
}

// The same with symbolic parameters bound at run time, and with kettle's gate matrices in the
// reference, which isolates the kernels from the matrices.
TYPED_TEST(Gates, SymbolicRandomCircuitsMatchReference) {
    Worst worst(test::kLooseTolerance<TypeParam>);
    test::RandomCircuitOptions options;
    options.num_parameters = 4;
    for (unsigned n = 2; n <= 8; n += 3)
        for (std::uint64_t seed = 0; seed < 3; ++seed) {
            const auto [circuit, values] = test::random_circuit(n, 40, 7000 + seed, options);
            ASSERT_EQ(values.size(), 4u);
            Random random(seed);
            const CVector psi = test::random_state(n, random);
            StateVector<TypeParam> state = reference::make_state<TypeParam>(n, psi);
            const CVector before = reference::to_eigen(state);
            run(circuit, state, values);
            const CVector textbook = reference::run(circuit, before, values);
            const CVector own = reference::run(circuit, before, values, reference::MatrixSource::kettle);
            worst.record(reference::max_abs_diff(reference::to_eigen(state), textbook),
                         fmt::format("n={} seed={}", n, seed));
            worst.record(reference::max_abs_diff(own, textbook), fmt::format("matrices n={} seed={}", n, seed));
        }
    worst.check();
}

}  // namespace
}  // namespace kettle
