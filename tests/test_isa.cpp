// Every instruction set's kernels against the scalar ones, on random states and random sites:
// all three kernel classes, k = 1..6, controls on 0 and 1, site qubits inside and above one
// register, small and threaded states.

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>

#include "execution.hpp"
#include "kernels.hpp"
#include "kettle/kettle.hpp"

namespace kettle {
namespace {

template <class T>
StateVector<T> random_state(unsigned n, std::mt19937_64& rng) {
    std::normal_distribution<double> g;
    std::vector<std::complex<T>> a(std::size_t{1} << n);
    double norm = 0;
    for (auto& z : a) {
        z = {T(g(rng)), T(g(rng))};
        norm += std::norm(std::complex<double>(z));
    }
    for (auto& z : a) z /= T(std::sqrt(norm));
    StateVector<T> s(n);
    s.set_amplitudes(a);
    return s;
}

Matrix random_matrix(unsigned k, std::mt19937_64& rng, MatrixShape shape) {
    // Not unitary: apply_matrix takes any matrix, and a generic one catches more index errors.
    std::normal_distribution<double> g;
    const std::size_t d = std::size_t{1} << k;
    Matrix m(d * d, 0.0);
    std::vector<std::size_t> perm(d);
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    for (std::size_t r = 0; r < d; ++r)
        for (std::size_t c = 0; c < d; ++c) {
            const bool keep = shape == MatrixShape::dense || (shape == MatrixShape::diagonal && r == c) ||
                              (shape == MatrixShape::permutation && perm[c] == r);
            if (keep) m[r * d + c] = {g(rng), g(rng)};
        }
    return m;
}

/// apply_matrix on every instruction set equals the scalar path on `initial`.
template <class T>
void expect_every_isa_equals_scalar(const StateVector<T>& initial, const Matrix& m, const std::vector<unsigned>& targets,
                                    const std::vector<unsigned>& controls, const std::vector<std::uint8_t>& values,
                                    double tolerance, const std::string& context) {
    set_isa(Isa::scalar);
    StateVector<T> expected = initial;
    apply_matrix(expected, m, targets, controls, values);
    for (Isa isa : supported_isas()) {
        set_isa(isa);
        StateVector<T> got = initial;
        apply_matrix(got, m, targets, controls, values);
        for (std::size_t i = 0; i < got.size(); ++i)
            ASSERT_NEAR(std::abs(std::complex<double>(got[i]) - std::complex<double>(expected[i])), 0.0, tolerance)
                << isa_name(isa) << " " << context << " i=" << i;
    }
}

/// Runs circuit c from `initial` on the scalar path and on every instruction set.
template <class T>
void expect_every_isa_runs_as_scalar(const StateVector<T>& initial, const Circuit& c, double tolerance,
                                     const std::string& context) {
    set_isa(Isa::scalar);
    StateVector<T> expected = initial;
    run(c, expected);
    for (Isa isa : supported_isas()) {
        set_isa(isa);
        StateVector<T> got = initial;
        run(c, got);
        for (std::size_t i = 0; i < got.size(); ++i)
            ASSERT_NEAR(std::abs(std::complex<double>(got[i]) - std::complex<double>(expected[i])), 0.0, tolerance)
                << isa_name(isa) << " " << context << " i=" << i;
    }
}

template <class T>
void compare_isas(double tolerance) {
    std::mt19937_64 rng(7);
    const Isa original = current_isa();
    for (unsigned n : {1u, 2u, 3u, 4u, 5u, 7u, 9u, 12u, 16u}) {
        for (int trial = 0; trial < 24; ++trial) {
            const unsigned k = 1 + unsigned(rng() % std::min(n, 6u));
            const unsigned nc = unsigned(rng() % std::min(3u, n - k + 1));
            std::vector<unsigned> qubits(n);
            std::iota(qubits.begin(), qubits.end(), 0);
            std::shuffle(qubits.begin(), qubits.end(), rng);
            // Half the trials keep the site above the lowest three qubits (the SIMD path).
            if (trial % 2 == 0 && n >= k + nc + 3)
                std::sort(qubits.begin(), qubits.end(), std::greater<>());
            const std::vector<unsigned> targets(qubits.begin(), qubits.begin() + k);
            const std::vector<unsigned> controls(qubits.begin() + k, qubits.begin() + k + nc);
            std::vector<std::uint8_t> values(nc);
            for (auto& v : values) v = std::uint8_t(rng() & 1);
            const auto shape = static_cast<MatrixShape>(trial % 3);
            const Matrix m = random_matrix(k, rng, shape);
            const StateVector<T> initial = random_state<T>(n, rng);
            // apply_matrix always runs the dense class; unitary gates of the other shapes
            // reach the diagonal and permutation kernels through apply_gate below.
            ASSERT_NO_FATAL_FAILURE(expect_every_isa_equals_scalar(
                initial, m, targets, controls, values, tolerance,
                "n=" + std::to_string(n) + " k=" + std::to_string(k) + " controls=" + std::to_string(nc)));
        }
    }
    set_isa(original);
}

template <class T>
void compare_gate_shapes(double tolerance) {
    // Diagonal and permutation unitaries (and dense ones) through the gate path.
    std::mt19937_64 rng(11);
    const Isa original = current_isa();
    for (unsigned n : {3u, 6u, 10u, 15u}) {
        for (int trial = 0; trial < 30; ++trial) {
            Circuit c(n);
            const unsigned q = unsigned(rng() % n), r = (q + 1 + unsigned(rng() % (n - 1))) % n;
            switch (trial % 6) {
                case 0: c.rz(q, 0.3 + trial).cp(r, q, 1.1); break;  // diagonal
                case 1: c.cx(q, r).y(r).swap(q, r); break;           // permutation
                case 2: c.ry(q, 0.7).crx(q, r, -0.4).h(r); break;    // dense
                case 3: c.rzz(q, r, 0.9).s(q).tdg(r); break;
                case 4: c.add(GateKind::y, {q}, {}, {r}, {0}).sx(r); break;
                default: c.u(q, 0.1, 0.2, 0.3).cu(r, q, 0.4, 0.5, 0.6, 0.7); break;
            }
            const StateVector<T> initial = random_state<T>(n, rng);
            ASSERT_NO_FATAL_FAILURE(expect_every_isa_runs_as_scalar(
                initial, c, tolerance, "n=" + std::to_string(n) + " trial=" + std::to_string(trial)));
        }
    }
    set_isa(original);
}

template <class T>
void compare_in_register_targets(double tolerance) {
    // Every width of dense gate with 0..3 of its targets inside a register (qubits 0..2), the
    // rest high, without a control (the exchanged kernels where a table has them) and with one
    // on qubit 0 (no lane exchange at all); then with the control on qubit 0 and targets on
    // qubits 1 and 2 too, which the exchanged kernels leave to the in-register ones: each count
    // of blocks and lane exchanges those specialise on.
    std::mt19937_64 rng(13);
    const Isa original = current_isa();
    const unsigned n = 11;
    for (unsigned k = 1; k <= 6; ++k)
        for (unsigned low = 0; low <= std::min(k, 3u); ++low)
            for (bool controlled : {false, true}) {
                if (controlled && low > 2) continue;  // the control takes qubit 0
                std::vector<unsigned> targets, controls;
                for (unsigned j = controlled ? 1 : 0; targets.size() < low; ++j) targets.push_back(j);
                for (unsigned j = 0; targets.size() < k; ++j) targets.push_back(n - 1 - j);
                std::shuffle(targets.begin(), targets.end(), rng);
                if (controlled) controls.push_back(0);
                const std::vector<std::uint8_t> values(controls.size(), 1);
                const Matrix m = random_matrix(k, rng, MatrixShape::dense);
                const StateVector<T> initial = random_state<T>(n, rng);
                ASSERT_NO_FATAL_FAILURE(expect_every_isa_equals_scalar(
                    initial, m, targets, controls, values, tolerance,
                    "k=" + std::to_string(k) + " low=" + std::to_string(low) +
                        " controlled=" + std::to_string(controlled)));
            }
    set_isa(original);
}

template <class T>
void compare_exchanged_targets(double tolerance) {
    // Dense gates of 1 to 5 qubits with each count of targets among qubits 0..2 and the rest
    // anywhere above, sometimes with one or two controls above: the kernels that exchange the
    // register's qubits with free ones above it, whose partners must skip the site; at n = 5
    // and 6 too few qubits are free for some (the in-register kernel instead), and 2^15
    // amplitudes go to the thread pool.
    std::mt19937_64 rng(17);
    const Isa original = current_isa();
    for (unsigned n : {5u, 6u, 7u, 9u, 15u})
        for (unsigned k = 1; k <= 5; ++k)
            for (unsigned inside = 1; inside <= std::min(k, 3u); ++inside)
                for (int trial = 0; trial < 4; ++trial) {
                    std::vector<unsigned> low{0, 1, 2}, high;
                    std::shuffle(low.begin(), low.end(), rng);
                    low.resize(inside);
                    for (unsigned q = 3; q < n; ++q) high.push_back(q);
                    std::shuffle(high.begin(), high.end(), rng);
                    if (low.size() + high.size() < k) continue;
                    std::vector<unsigned> targets = low;
                    for (std::size_t j = 0; targets.size() < k; ++j) targets.push_back(high[j]);
                    std::shuffle(targets.begin(), targets.end(), rng);
                    std::vector<unsigned> controls;
                    for (std::size_t j = k - low.size(); j < high.size() && controls.size() < unsigned(trial % 3); ++j)
                        controls.push_back(high[j]);
                    const std::vector<std::uint8_t> values(controls.size(), std::uint8_t(rng() & 1));
                    const Matrix m = random_matrix(k, rng, MatrixShape::dense);
                    const StateVector<T> initial = random_state<T>(n, rng);
                    std::string sites = "targets";
                    for (unsigned q : targets) sites.append(1, ' ').append(std::to_string(q));
                    ASSERT_NO_FATAL_FAILURE(expect_every_isa_equals_scalar(
                        initial, m, targets, controls, values, tolerance,
                        "n=" + std::to_string(n) + " " + sites + " controls=" + std::to_string(controls.size())));
                }
    set_isa(original);
}

template <class T>
void compare_register_qubit_gates(double tolerance) {
    // 1-qubit gates of each kernel form (real entries, RX's imaginary off-diagonal, general) on
    // each qubit a register holds, alone, under a control above it and under one that must be
    // 0; then controlled phases (one and two touched entries a group) on pairs of low and high
    // qubits; on a state in cache and on one of 2 MiB (kernels that go one group at a time in
    // cache and prefetch in pairs beyond: lane_pair_kernel, two_walks).
    std::mt19937_64 rng(19);
    const Isa original = current_isa();
    const double c = std::cos(0.35), s = std::sin(0.35);
    using Z = std::complex<double>;
    const std::vector<Matrix> gates{{c, -s, s, c},                          // RY
                                    {c, Z(0, -s), Z(0, -s), c},             // RX
                                    gate_matrix(GateKind::sx, {}),          // general
                                    random_matrix(1, rng, MatrixShape::dense)};
    const unsigned large = 21 - unsigned(sizeof(T));  // 2 MiB
    for (unsigned n : {10u, large}) {
        const StateVector<T> initial = random_state<T>(n, rng);
        for (unsigned q = 0; q < 3; ++q)
            for (std::size_t g = 0; g < gates.size(); ++g)
                for (int controlled = 0; controlled < 3; ++controlled) {
                    std::vector<unsigned> controls;
                    if (controlled) controls.push_back(n - 1);
                    const std::vector<std::uint8_t> values(controls.size(), std::uint8_t(controlled == 1));
                    ASSERT_NO_FATAL_FAILURE(expect_every_isa_equals_scalar(
                        initial, gates[g], {q}, controls, values, tolerance,
                        "n=" + std::to_string(n) + " q=" + std::to_string(q) + " gate=" + std::to_string(g) +
                            " controlled=" + std::to_string(controlled)));
                }
        for (auto [a, b] : {std::pair{0u, 1u}, {1u, 0u}, {0u, 4u}, {2u, 1u}, {2u, 3u}, {6u, 5u}, {3u, n - 1}}) {
            Circuit circuit(n);
            circuit.cz(a, b).cp(b, a, 0.7).add(GateKind::z, {b}, {}, {a}, {0});
            ASSERT_NO_FATAL_FAILURE(expect_every_isa_runs_as_scalar(
                initial, circuit, tolerance,
                "n=" + std::to_string(n) + " pair " + std::to_string(a) + "," + std::to_string(b)));
        }
    }
    set_isa(original);
}

template <class T>
void compare_prefetching_ranges(double tolerance) {
    // Kernels prefetch only over a range of 2 MiB or more (Lookahead in kernels_impl.hpp), which
    // the threaded runs above split below that: one call over a whole 2 MiB state, on the
    // calling thread, for each class and width 1..5 on the highest qubits, on qubits 3.. (one
    // contiguous block per group), with a target on qubit 0 (the exchanged kernels) and with a
    // control.
    std::mt19937_64 rng(19);
    const Isa original = current_isa();
    const unsigned n = sizeof(T) == 8 ? 17 : 18;
    const StateVector<T> initial = random_state<T>(n, rng);
    for (unsigned k = 1; k <= 5; ++k)
        for (int sites = 0; sites < 4; ++sites) {
            std::vector<unsigned> targets;
            for (unsigned j = 0; j < k; ++j) targets.push_back(sites == 1 ? 3 + j : n - 1 - j);
            if (sites == 2) targets.back() = 0;
            std::vector<unsigned> controls;
            if (sites == 3) controls.push_back(n - 1 - k);
            const std::vector<std::uint8_t> values(controls.size(), 1);
            for (auto shape : {MatrixShape::dense, MatrixShape::diagonal, MatrixShape::permutation}) {
                if (sites == 2 && shape != MatrixShape::dense) continue;
                const Matrix m = random_matrix(k, rng, shape);
                auto apply = [&](Isa isa) {
                    set_isa(isa);
                    StateVector<T> s = initial;
                    detail::prepare_shaped<T>(m, shape, n, targets, controls, values).run(s.data(), false);
                    return s;
                };
                const StateVector<T> expected = apply(Isa::scalar);
                for (Isa isa : supported_isas()) {
                    const StateVector<T> got = apply(isa);
                    for (std::size_t i = 0; i < got.size(); ++i)
                        ASSERT_NEAR(std::abs(std::complex<double>(got[i]) - std::complex<double>(expected[i])), 0.0,
                                    tolerance)
                            << isa_name(isa) << " k=" << k << " sites=" << sites << " shape=" << int(shape)
                            << " i=" << i;
                }
            }
        }
    set_isa(original);
}

TEST(Isa, PrefetchingRangesDouble) { compare_prefetching_ranges<double>(1e-12); }
TEST(Isa, PrefetchingRangesFloat) { compare_prefetching_ranges<float>(1e-4); }
TEST(Isa, EveryPathEqualsScalarDouble) { compare_isas<double>(1e-12); }
TEST(Isa, InRegisterTargetsDouble) { compare_in_register_targets<double>(1e-12); }
TEST(Isa, InRegisterTargetsFloat) { compare_in_register_targets<float>(1e-5); }
TEST(Isa, RegisterQubitGatesDouble) { compare_register_qubit_gates<double>(1e-12); }
TEST(Isa, RegisterQubitGatesFloat) { compare_register_qubit_gates<float>(1e-5); }
TEST(Isa, ExchangedTargetsDouble) { compare_exchanged_targets<double>(1e-12); }
TEST(Isa, ExchangedTargetsFloat) { compare_exchanged_targets<float>(1e-5); }
TEST(Isa, EveryPathEqualsScalarFloat) { compare_isas<float>(1e-5); }
TEST(Isa, GateShapesDouble) { compare_gate_shapes<double>(1e-12); }
TEST(Isa, GateShapesFloat) { compare_gate_shapes<float>(1e-5); }

TEST(Isa, ExchangedKernelsWhereDocumented) {
    // A missing table entry would only send gates back to the in-register kernels, which the
    // comparisons above cannot tell apart: every width up to 5 with up to as many targets inside
    // the register as it spans, except, with four products, the AVX2 3-qubit row form and the
    // AVX-512 3-qubit gate with more than one target inside, and with three (the Gauss form,
    // which needs a target outside) the 3-qubit gate with all three inside; none from 6 qubits.
    for (Isa isa : supported_isas())
        for (DenseProducts products : {DenseProducts::four, DenseProducts::three}) {
            const bool three = products == DenseProducts::three;
            auto check = [&](const auto& table) {
                for (unsigned l = 1; l <= detail::kMaxExchanged; ++l)
                    for (unsigned k = 1; k <= detail::kMaxTargets; ++k) {
                        const bool excluded = three ? k == 3 && l == 3
                                                    : (isa == Isa::avx2 && k == 3) || (isa == Isa::avx512 && k == 3 && l > 1);
                        const bool expected = l <= table.log2_width && l <= k && k <= 5 && !excluded;
                        EXPECT_EQ(table.dense_exchanged[l - 1][k - 1] != nullptr, expected)
                            << isa_name(isa) << "/" << dense_products_name(products) << " width "
                            << table.log2_width << " k=" << k << " l=" << l;
                    }
            };
            check(detail::kernel_table<double>(isa, products));
            check(detail::kernel_table<float>(isa, products));
        }
}

TEST(Isa, DenseProductFormsDifferOnlyInDenseKernels) {
    for (Isa isa : supported_isas()) {
        auto check = [&](const auto& four, const auto& three) {
            for (unsigned k = 1; k <= detail::kMaxTargets; ++k) {
                // The scalar table has one form; the vector ones take Gauss's from 2 qubits, at
                // 3 qubits on states in cache only; on AVX-512 the three-product table's 4- and
                // 5-qubit kernels take fewer rows at a time (gauss_rows).
                const bool vector = isa != Isa::scalar, rows = isa == Isa::avx512 && (k == 4 || k == 5);
                EXPECT_EQ(four.dense[k - 1] != three.dense[k - 1], (vector && k == 2) || rows)
                    << isa_name(isa) << " k=" << k;
                EXPECT_EQ(four.dense_in_cache[k - 1] != three.dense_in_cache[k - 1], (vector && (k == 2 || k == 3)) || rows)
                    << isa_name(isa) << " k=" << k;
                EXPECT_EQ(four.dense_in_cache[k - 1], four.dense[k - 1]) << isa_name(isa) << " k=" << k;
                EXPECT_EQ(three.dense_in_cache[k - 1] != three.dense[k - 1], vector && k == 3) << isa_name(isa) << " k=" << k;
                EXPECT_EQ(four.diagonal[k - 1], three.diagonal[k - 1]);
                EXPECT_EQ(four.permutation[k - 1], three.permutation[k - 1]);
            }
            EXPECT_EQ(four.low, three.low);
            EXPECT_EQ(four.dense_rx[0], three.dense_rx[0]);
        };
        check(detail::kernel_table<double>(isa, DenseProducts::four), detail::kernel_table<double>(isa, DenseProducts::three));
        check(detail::kernel_table<float>(isa, DenseProducts::four), detail::kernel_table<float>(isa, DenseProducts::three));
    }
}

TEST(Isa, DenseProductNamesRoundTripAndUnknownRejected) {
    for (DenseProducts p : {DenseProducts::four, DenseProducts::three}) EXPECT_EQ(parse_dense_products(dense_products_name(p)), p);
    try {
        (void)parse_dense_products("two");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_STREQ(e.what(), "unknown dense product form 'two': expected four or three");
    }
    const DenseProducts saved = dense_products();
    set_dense_products(DenseProducts::three);
    EXPECT_EQ(dense_products(), DenseProducts::three);
    set_dense_products(DenseProducts::four);
    EXPECT_EQ(dense_products(), DenseProducts::four);
    set_dense_products(saved);
}

TEST(Isa, NamesRoundTripAndUnknownRejected) {
    for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) EXPECT_EQ(parse_isa(isa_name(isa)), isa);
    try {
        (void)parse_isa("sse9");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_STREQ(e.what(), "unknown instruction set 'sse9': expected scalar, avx2 or avx512");
    }
    EXPECT_TRUE(isa_supported(Isa::scalar));
    EXPECT_EQ(supported_isas().front(), Isa::scalar);
}

}  // namespace
}  // namespace kettle
