// SWAPs taken into a relabelling of the qubits (RunOptions::relabel_swaps): the same states,
// draws and terminal measurements as running every SWAP, on every executor (unfused, fused,
// cache-blocked, prepared), and fewer passes only where the restoring swaps are fewer.

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "kettle/kettle.hpp"
#include "support/random_circuit.hpp"
#include "support/reference.hpp"
#include "support/states_near.hpp"
#include "lowering.hpp"
#include "qubit_permutation.hpp"
#include "swap_relabelling.hpp"

namespace kettle {
namespace {

/// Random gates with a swap network between them: every `every` gates, a layer of swaps on
/// neighbouring pairs (odd-even transposition order, so that the layers move qubits far),
/// sometimes a controlled or conditioned swap that must stay a gate.
Circuit with_swap_layers(const Circuit& gates, unsigned every, std::uint64_t seed) {
    test::Random random(seed);
    const unsigned n = gates.num_qubits();
    Circuit c(n);
    for (const std::string& name : gates.parameter_names()) c.parameter(name);
    std::size_t layer = 0;
    for (std::size_t i = 0; i < gates.operations().size(); ++i) {
        c.append(gates.operations()[i]);
        if (i % every != every - 1 || n < 2) continue;
        for (unsigned q = unsigned(layer++ % 2); q + 1 < n; q += 2) c.swap(q, q + 1);
        if (n >= 3 && random.below(3) == 0) {
            const std::vector<unsigned> qs = random.qubits(n, 3);
            c.cswap(qs[0], qs[1], qs[2]);
        }
    }
    return c;
}


template <class T>
void equals_reference(double tol) {
    for (unsigned n : {2u, 3u, 5u, 8u, 11u}) {
        const test::RandomCircuit g = test::random_circuit(n, 90, 40 + n, {2, 3, 2});
        const Circuit c = with_swap_layers(g.circuit, 7, n);
        const std::optional<detail::SwapRelabelling> r = detail::relabel_swaps(c);
        ASSERT_TRUE(r.has_value()) << "n=" << n;
        const reference::CVector expected = reference::run(c, reference::basis_state(n, 0), g.values);
        for (unsigned fusion : {0u, 2u, 4u}) {
            StateVector<T> relabelled(n), plain(n);
            run(c, relabelled, g.values, RunOptions{0, fusion});
            run(c, plain, g.values, RunOptions{0, fusion, false});
            test::expect_states_near(relabelled, plain, tol);
            for (std::size_t i = 0; i < relabelled.size(); ++i)
                ASSERT_NEAR(std::abs(std::complex<double>(relabelled[i]) - expected[Eigen::Index(i)]), 0.0, tol)
                    << "n=" << n << " fusion=" << fusion << " i=" << i;
        }
        StateVector<T> prepared(n), plain(n);
        PreparedCircuit<T>(c, g.values).run(prepared);
        run(c, plain, g.values, RunOptions{0, 0, false});
        test::expect_states_near(prepared, plain, tol);
    }
}

TEST(SwapRelabelling, EqualsTheReferenceDouble) { equals_reference<double>(1e-12); }
TEST(SwapRelabelling, EqualsTheReferenceFloat) { equals_reference<float>(2e-5); }

TEST(SwapRelabelling, RenamesAndRestores) {
    // Reversing n qubits through neighbouring swaps: h(0) after it lands on the far end, and the
    // run ends by reversing the places back.
    for (unsigned n : {2u, 5u, 8u}) {
        Circuit c(n);
        for (unsigned layer = 0; layer < n; ++layer)
            for (unsigned q = layer % 2; q + 1 < n; q += 2) c.swap(q, q + 1);
        c.h(0).cx(0, n - 1);
        const std::optional<detail::SwapRelabelling> r = detail::relabel_swaps(c);
        if (n == 2) {  // a single swap is left as a gate
            EXPECT_FALSE(r.has_value());
            continue;
        }
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(r->circuit.operations().size(), c.operations().size());
        EXPECT_EQ(r->terminal.size(), c.operations().size());
        EXPECT_EQ(r->circuit.operations()[c.operations().size() - 2].targets, std::vector<unsigned>{n - 1});
        for (unsigned p = 0; p < n; ++p) EXPECT_EQ(r->restore[p], n - 1 - p);
        EXPECT_TRUE(FusionPlan(c, FusionOptions{2}).relabelled());
        EXPECT_FALSE(FusionPlan(c, FusionOptions{2, true, false}).relabelled());
        EXPECT_EQ(gate_passes(c), 3u);  // h, cx and the reversal
        EXPECT_EQ(gate_passes(c, false), c.operations().size());
    }
    // Swaps that cancel leave nothing to put back.
    Circuit twice(3);
    twice.swap(0, 2).h(0).swap(2, 0);
    const std::optional<detail::SwapRelabelling> r = detail::relabel_swaps(twice);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->circuit.operations()[1].targets, std::vector<unsigned>{2});
    EXPECT_EQ(r->restore, (std::vector<unsigned>{0, 1, 2}));
    EXPECT_EQ(gate_passes(twice), 1u);
}

TEST(SwapRelabelling, TakesOnlyPlainSwapsAndTwoOrMore) {
    // A QFT's reversal is one pass instead of n/2 swaps. Controlled and conditioned swaps are
    // gates; a circuit with one plain swap or none is left as it is.
    EXPECT_TRUE(detail::relabel_swaps(qft(9, true)).has_value());
    EXPECT_FALSE(detail::relabel_swaps(qft(9, false)).has_value());
    Circuit gates(3, 1);
    gates.cswap(0, 1, 2).cswap(0, 1, 2).swap(1, 2).c_if(0, 1).swap(1, 2).c_if(0, 1).swap(0, 2).h(0);
    EXPECT_FALSE(detail::relabel_swaps(gates).has_value());
    EXPECT_FALSE(detail::relabel_swaps(random_supremacy_circuit(9, 4, 1)).has_value());
}

template <class T>
void permutes_qubits() {
    // Every kind of placement: the identity, a swap of the lowest and highest qubits, the
    // reversal (in chunks of 6 qubits from 8 qubits on: three pairs local, the rest moving whole
    // chunks), a rotation by one (a cycle through every qubit, too long for a chunk: swaps
    // instead), random ones, a swap of the two highest (chunks moved, none permuted); small
    // states (cycles of indices) and large ones with small chunks, against moving every
    // amplitude by hand. Amplitudes only move: they compare exactly.
    test::Random random(5);
    for (unsigned n : {3u, 7u, 10u, 12u}) {
        std::vector<std::vector<unsigned>> placements;
        std::vector<unsigned> p(n);
        std::iota(p.begin(), p.end(), 0u);
        placements.push_back(p);
        std::swap(p[0], p[n - 1]);
        placements.push_back(p);
        std::iota(p.begin(), p.end(), 0u);
        std::reverse(p.begin(), p.end());
        placements.push_back(p);
        for (unsigned q = 0; q < n; ++q) p[q] = (q + 1) % n;
        placements.push_back(p);
        for (int k = 0; k < 4; ++k) {
            std::iota(p.begin(), p.end(), 0u);
            random.shuffle(p);
            placements.push_back(p);
        }
        std::iota(p.begin(), p.end(), 0u);
        std::swap(p[n - 1], p[n - 2]);  // only qubits outside any chunk move
        placements.push_back(p);
        for (const std::vector<unsigned>& to : placements)
            for (unsigned chunk : {6u, 4u, 30u}) {
                const reference::CVector psi = test::random_state(n, random);
                StateVector<T> state(n);
                std::vector<std::complex<T>> amplitudes(state.size());
                for (std::size_t i = 0; i < state.size(); ++i) amplitudes[i] = std::complex<T>(psi[Eigen::Index(i)]);
                state.set_amplitudes(amplitudes);
                detail::permute_qubits(state, to, chunk);
                for (std::uint64_t i = 0; i < state.size(); ++i) {
                    std::uint64_t j = 0;
                    for (unsigned q = 0; q < n; ++q) j |= (i >> q & 1) << to[q];
                    ASSERT_EQ(state[j], amplitudes[i]) << "n=" << n << " chunk=" << chunk << " i=" << i;
                }
            }
    }
}

TEST(SwapRelabelling, PermutesQubitsDouble) { permutes_qubits<double>(); }
TEST(SwapRelabelling, PermutesQubitsFloat) { permutes_qubits<float>(); }

TEST(SwapRelabelling, PermutationSwaps) {
    const std::vector<unsigned> to = {2, 0, 1, 3, 5, 4};  // a 3-cycle, a fixed qubit, a pair
    const auto swaps = detail::permutation_swaps(to);
    EXPECT_EQ(swaps.size(), 3u);
    std::vector<unsigned> content = {0, 1, 2, 3, 4, 5};  // what each place holds
    for (const auto& [a, b] : swaps) std::swap(content[a], content[b]);
    for (unsigned p = 0; p < to.size(); ++p) EXPECT_EQ(content[to[p]], p);

    // Passes: none for the identity, one for a small state or cycles through qubits 0..2 that
    // fit a chunk, else a swap pass per swap (a rotation through all 20 qubits: 19).
    std::vector<unsigned> p(20);
    std::iota(p.begin(), p.end(), 0u);
    EXPECT_EQ(detail::permutation_passes(p, 16), 0u);
    std::reverse(p.begin(), p.end());
    EXPECT_EQ(detail::permutation_passes(p, 16), 1u);
    for (unsigned q = 0; q < 20; ++q) p[q] = (q + 1) % 20;
    EXPECT_EQ(detail::permutation_passes(p, 16), 19u);
    EXPECT_EQ(detail::permutation_passes(p, 19), 1u);  // 20 qubits: a small state for 19-qubit chunks
}

TEST(SwapRelabelling, MeasurementsResetsAndConditionsFollowTheirQubits) {
    // Mid-circuit measurements and resets act on a qubit's current place, conditions read the
    // bits they wrote, and terminal measurements name the logical qubit a sample reads.
    Circuit c(4, 4);
    c.h(0).ry(1, 0.7).swap(0, 1).swap(1, 2).cx(2, 3).measure(2, 0).swap(2, 3).swap(3, 0).x(0).c_if(0, 1);
    c.reset(3).swap(0, 2).h(3).rx(1, 0.4).swap(1, 3).cz(0, 1).swap(1, 3).measure(3, 1).measure(0, 2).h(2).measure(1, 3);
    ASSERT_TRUE(detail::relabel_swaps(c).has_value());
    for (unsigned fusion : {0u, 3u}) {
        std::map<std::string, std::size_t> counts[2];
        for (bool relabel : {false, true}) {
            for (std::uint64_t seed = 0; seed < 24; ++seed) {
                StateVector<double> state(4), plain(4);
                const RunResult a = run(c, state, {}, RunOptions{seed, fusion, relabel});
                const RunResult b = run(c, plain, {}, RunOptions{seed, 0, false});
                EXPECT_EQ(a.clbits, b.clbits) << "seed " << seed;
                EXPECT_EQ(a.terminal_measurements, b.terminal_measurements);
                test::expect_states_near(state, plain, 1e-12);
                for (const auto& [key, count] : counts_from_state(c, state, a, 64, seed)) counts[relabel][key] += count;
            }
        }
        EXPECT_EQ(counts[0], counts[1]) << "fusion " << fusion;
    }
    StateVector<double> prepared(4), plain(4);
    const RunResult a = PreparedCircuit<double>(c).run(prepared, RunOptions{5});
    const RunResult b = run(c, plain, {}, RunOptions{5, 0, false});
    EXPECT_EQ(a.clbits, b.clbits);
    EXPECT_EQ(a.terminal_measurements, b.terminal_measurements);
    test::expect_states_near(prepared, plain, 1e-12);
}

TEST(SwapRelabelling, SamplesShotByShot) {
    // A mid-circuit measurement makes every shot a run; the unfused shots share one relabelling
    // as the fused ones share one plan. The two measured bits always agree.
    Circuit c(3, 2);
    c.h(0).swap(0, 2).swap(2, 1).measure(1, 0).cx(1, 2).swap(0, 1).swap(0, 1).measure(2, 1);
    ASSERT_TRUE(needs_per_shot_simulation(c));
    ASSERT_TRUE(detail::relabel_swaps(c).has_value());
    const auto counts = sample_counts<double>(c, 1000, 11);
    EXPECT_EQ(counts, sample_counts<double>(c, 1000, 11, {}, 3));
    EXPECT_EQ(counts.size(), 2u);
    for (const char* key : {"00", "11"}) {
        ASSERT_TRUE(counts.count(key)) << key;
        EXPECT_GT(counts.at(key), 400u);
    }
}

TEST(SwapRelabelling, CacheBlockedRuns) {
    // 18 and 20 qubits: the fused run is cache-blocked in double and single. The plan puts the
    // qubits back by one permutation pass or by restoring swaps planned as gates, whichever
    // makes fewer passes. Cache-blocked, the QFT's and the swap network's restoring swaps fit
    // passes the run makes anyway (from 24 qubits, the QFT's take 2 more: 4 passes against 2
    // and the permutation); one block per pass, the QFT's reversal takes the permutation pass
    // (its 10 swaps would add 3 blocks). Each is checked against the run with every SWAP a gate.
    const test::RandomCircuit g = test::random_circuit(18, 60, 3, {1, 3, 0});
    const std::vector<double> none;
    struct Case {
        Circuit circuit;
        const std::vector<double>& values;
        FusionOptions options;
        bool permutes;
    };
    const Case cases[] = {{with_swap_layers(g.circuit, 15, 9), g.values, FusionOptions{3}, false},
                          {qft(20, true), none, FusionOptions{3}, false},
                          {qft(20, true), none, FusionOptions{3, false}, true},
                          {qaoa_swap_network(18, 1, 2), none, FusionOptions{3}, false}};
    for (std::size_t i = 0; i < std::size(cases); ++i) {
        const Case& k = cases[i];
        const unsigned n = k.circuit.num_qubits();
        const FusionPlan plan(k.circuit, k.options);
        ASSERT_TRUE(plan.relabelled());
        if (i > 0) {
            EXPECT_EQ(detail::FusionPlanInternals::relabelling(plan)->restores(), k.permutes) << "case " << i;
        }
        StateVector<double> fused(n), plain(n);
        StateVector<float> fused_single(n), plain_single(n);
        for (auto* s : {&fused, &plain}) s->set_basis_state(0b101100111000101101);
        for (auto* s : {&fused_single, &plain_single}) s->set_basis_state(0b101100111000101101);
        // (a basis state of 18 bits: on 20 qubits the top two stay 0)
        plan.run(fused, k.values);
        plan.run(fused_single, k.values);
        run(k.circuit, plain, k.values, RunOptions{0, 0, false});
        run(k.circuit, plain_single, k.values, RunOptions{0, 0, false});
        test::expect_states_near(fused, plain, 1e-11);
        test::expect_states_near(fused_single, plain_single, 1e-4);
        StateVector<double> prepared(n);
        prepared.set_basis_state(0b101100111000101101);
        PreparedCircuit<double>(k.circuit, k.values, k.options).run(prepared);
        test::expect_states_near(prepared, plain, 1e-11);
    }
}

}  // namespace
}  // namespace kettle
