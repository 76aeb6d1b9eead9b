#include "kettle/fusion.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <numbers>
#include <type_traits>

#include "cache_blocking.hpp"
#include "lowering.hpp"
#include "execution.hpp"
#include "kernels.hpp"
#include "phase_polynomial.hpp"
#include "qubit_permutation.hpp"
#include "swap_relabelling.hpp"
#include "kettle/error.hpp"
#include "kettle/isa.hpp"
#include "kettle/resources.hpp"

namespace kettle {
namespace {

/// How many of the newest blocks a gate may try to join.
constexpr std::ptrdiff_t kSearch = 8;

/// The shape of a product: diagonal ⊂ permutation (monomial) ⊂ dense.
MatrixShape combine(MatrixShape a, MatrixShape b) {
    if (a == MatrixShape::dense || b == MatrixShape::dense) return MatrixShape::dense;
    return a == MatrixShape::permutation || b == MatrixShape::permutation ? MatrixShape::permutation
                                                                           : MatrixShape::diagonal;
}

/// How many of `qs` the block does not span yet.
std::size_t added_qubits(const FusionPlan::Block& block, const std::vector<unsigned>& qs) {
    std::size_t added = 0;
    for (unsigned q : qs) added += std::binary_search(block.qubits.begin(), block.qubits.end(), q) ? 0 : 1;
    return added;
}

/// Whether the block is an operation the executor runs as it is (a measurement, a reset or a
/// conditioned gate), for which lower_block gives no step.
bool runs_as_operation(const Circuit& c, const FusionPlan::Block& block) {
    if (block.kind != FusionPlan::Kind::single) return false;
    const Operation& op = c.operations()[block.ops[0]];
    return op.kind != OpKind::gate || op.condition.has_value();
}

std::uint64_t mask_of(std::span<const unsigned> qs) {
    std::uint64_t m = 0;
    for (unsigned q : qs) m |= std::uint64_t{1} << q;
    return m;
}

std::vector<unsigned> qubits_of(const Operation& op) {
    std::vector<unsigned> q = op.targets;
    q.insert(q.end(), op.controls.begin(), op.controls.end());
    return q;
}

/// Applies gate `g` (on local target bits `targets`, where local control bits `ctrl_mask` equal
/// `ctrl_value`) to each of the `ncols` vectors of 2^kb entries over the block's qubits.
void apply_local(std::complex<double>* columns, unsigned ncols, unsigned kb, const Matrix& g,
                 const std::vector<unsigned>& targets, unsigned ctrl_mask, unsigned ctrl_value) {
    const unsigned k = unsigned(targets.size()), dg = 1u << k, d = 1u << kb;
    unsigned tmask = 0;
    for (unsigned t : targets) tmask |= 1u << t;
    unsigned off[64];
    for (unsigned j = 0; j < dg; ++j) {
        off[j] = 0;
        for (unsigned b = 0; b < k; ++b)
            if (j >> b & 1) off[j] |= 1u << targets[b];
    }
    detail::ComplexScratch<double, 64> in;
    for (unsigned base = 0; base < d; ++base) {
        if ((base & tmask) != 0 || (base & ctrl_mask) != ctrl_value) continue;
        for (unsigned col = 0; col < ncols; ++col) {
            std::complex<double>* v = columns + std::size_t(col) * d;
            for (unsigned j = 0; j < dg; ++j) in[j] = v[base + off[j]];
            for (unsigned r = 0; r < dg; ++r) {
                double re = 0, im = 0;
                for (unsigned c = 0; c < dg; ++c) {
                    const std::complex<double> m = g[r * dg + c], x = in[c];
                    re += m.real() * x.real() - m.imag() * x.imag();
                    im += m.real() * x.imag() + m.imag() * x.real();
                }
                v[base + off[r]] = {re, im};
            }
        }
    }
}

}  // namespace

FusionPlan::FusionPlan(const Circuit& given, FusionOptions options)
    : given_(&given), cache_blocking_(options.cache_blocking) {
    if (options.max_qubits < 1 || options.max_qubits > detail::kMaxTargets)
        throw Error(ErrorCode::invalid_input, fmt::format("FusionPlan: max_qubits must be in 1..{}, got {}",
                                                          detail::kMaxTargets, options.max_qubits));
    if (options.relabel_swaps)
        if (std::optional<detail::SwapRelabelling> r = detail::relabel_swaps(given))
            relabelling_ = std::make_shared<const detail::SwapRelabelling>(std::move(*r));
    form(options);
    if (!relabelling_ || !relabelling_->restores()) return;
    // The qubits go back either by a permutation pass at the end, or by the swaps that restore
    // them, planned as gates: they may fit passes the run makes anyway (a closing layer of
    // 1-qubit gates on the same qubits) or cost passes of their own (a QFT's reversal pairs low
    // qubits with high ones: 2 more passes of 16-qubit chunks at 28 qubits). The swaps are
    // kept where they make no more passes (they then cost only work in cache).
    const std::size_t with_permutation =
        passes() + detail::permutation_passes(relabelling_->restore, detail::chunk_qubits<double>());
    std::shared_ptr<const detail::SwapRelabelling> permuted = relabelling_;
    std::vector<Block> blocks = std::move(blocks_);
    std::vector<std::shared_ptr<const detail::BlockedStep>> fixed = std::move(fixed_);
    std::shared_ptr<const detail::FusionPasses> planned = std::move(passes_);
    relabelling_ = std::make_shared<const detail::SwapRelabelling>(detail::with_restoring_swaps(*permuted));
    form(options);
    if (passes() <= with_permutation) return;
    relabelling_ = std::move(permuted);
    blocks_ = std::move(blocks);
    fixed_ = std::move(fixed);
    passes_ = std::move(planned);
}

std::size_t FusionPlan::passes() const {
    if (!passes_) return blocks_.size();
    const int p = circuit().num_qubits() >= detail::chunk_qubits<double>() + 2 ? 0 : 1;
    std::size_t total = 0;
    for (const auto& run : passes_->runs[p]) total += run.size();
    return total;
}

void FusionPlan::form(FusionOptions options) {
    blocks_.clear();
    fixed_.clear();
    passes_.reset();
    const Circuit& c = circuit();
    // The latest block on each qubit; a gate may only join the latest block among its qubits'.
    std::vector<std::ptrdiff_t> last(c.num_qubits(), -1);
    // Dense 1-qubit gates that their qubit's latest block cannot take (there is none, it is a
    // measurement, or a phase layer wider than the dense limit) wait here for the next gate on
    // that qubit and join its block, where they cost nothing more. Joining the newest block
    // instead would pair unrelated 1-qubit gates into 2-qubit blocks: a pass each, and blocks
    // too full to take the 2-qubit gates that follow.
    std::vector<std::vector<std::size_t>> pending(c.num_qubits());
    const auto& ops = c.operations();
    // The block from `b` on (blocks after b do not touch the gate's qubits, so the gate commutes
    // with them) that can take a gate on `qs`, newest first, a few at most; -1 for none.
    // A block that already spans all of qs takes the gate for free and is preferred.
    auto choose = [&](const std::vector<unsigned>& qs, MatrixShape shape, bool phase, std::ptrdiff_t b) {
        const std::ptrdiff_t oldest = std::max<std::ptrdiff_t>({b, 0, std::ptrdiff_t(blocks_.size()) - kSearch});
        std::ptrdiff_t best = -1;
        for (std::ptrdiff_t j = std::ptrdiff_t(blocks_.size()) - 1; j >= oldest; --j) {
            const Block& block = blocks_[std::size_t(j)];
            // Nothing may move across a measurement, reset or condition on its qubits; b
            // already accounts for those, and the others commute. Keep looking.
            if (block.kind == Kind::single) continue;
            const std::size_t added = added_qubits(block, qs);
            const MatrixShape s = combine(block.shape, shape);
            const unsigned limit = s == MatrixShape::dense ? options.max_qubits : detail::kMaxTargets;
            if ((block.quadratic_phase && phase) || block.qubits.size() + added <= limit) {
                if (added == 0) return j;
                if (best < 0) best = j;
            }
        }
        return best;
    };
    // Puts operation i (on qs) into block j, or a new block if j < 0; returns the block.
    auto place = [&](std::ptrdiff_t j, std::size_t i, const std::vector<unsigned>& qs, MatrixShape shape, bool phase,
                     bool alone) {
        if (j < 0) {
            std::vector<unsigned> sorted = qs;
            std::sort(sorted.begin(), sorted.end());
            // Every gate block starts as a matrix block; the kinds are settled below.
            blocks_.push_back(Block{{i}, std::move(sorted), shape, alone ? Kind::single : Kind::matrix, phase});
            j = std::ptrdiff_t(blocks_.size() - 1);
        } else {
            Block& block = blocks_[std::size_t(j)];
            for (unsigned q : qs)
                if (!std::binary_search(block.qubits.begin(), block.qubits.end(), q)) {
                    block.qubits.insert(std::upper_bound(block.qubits.begin(), block.qubits.end(), q), q);
                }
            block.shape = combine(block.shape, shape);
            block.quadratic_phase = block.quadratic_phase && phase;
            block.ops.push_back(i);
        }
        for (unsigned q : qs) last[q] = j;
        return j;
    };
    // The gates waiting on q as a block of their own, the newest.
    auto flush = [&](unsigned q) {
        if (pending[q].empty()) return;
        blocks_.push_back(Block{std::move(pending[q]), {q}, MatrixShape::dense, Kind::matrix, false});
        pending[q].clear();
        last[q] = std::ptrdiff_t(blocks_.size() - 1);
    };
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& op = ops[i];
        if (op.kind == OpKind::barrier) continue;
        const std::vector<unsigned> qs = qubits_of(op);
        const bool alone = op.kind != OpKind::gate || op.condition.has_value();
        const MatrixShape shape = alone ? MatrixShape::dense : detail::operation_shape(op);
        const bool phase = !alone && detail::is_quadratic_phase(op);
        if (!alone && qs.size() == 1 && shape == MatrixShape::dense && options.max_qubits >= 2) {
            // The qubit's latest block takes the gate for free unless it is a measurement or a
            // phase block wider than the dense limit: then the gate waits.
            const std::ptrdiff_t b = last[qs[0]];
            if (!pending[qs[0]].empty() || b < 0 || blocks_[std::size_t(b)].kind == Kind::single ||
                blocks_[std::size_t(b)].qubits.size() > options.max_qubits) {
                pending[qs[0]].push_back(i);
                continue;
            }
        }
        std::size_t waiting = 0;
        for (unsigned q : qs) waiting += pending[q].size();
        auto block_of = [&] {
            std::ptrdiff_t b = -1;
            for (unsigned q : qs) b = std::max(b, last[q]);
            return alone ? std::ptrdiff_t{-1} : choose(qs, shape, phase, b);
        };
        std::ptrdiff_t j = block_of();
        if (waiting > 0) {
            // The waiting gates join the gate's block if it stays within the dense limit, else a
            // new block with the gate; only a gate too wide for that (or a measurement) has them
            // run first, as blocks of their own.
            const std::size_t width =
                j < 0 ? qs.size() : blocks_[std::size_t(j)].qubits.size() + added_qubits(blocks_[std::size_t(j)], qs);
            if (!alone && (width <= options.max_qubits || qs.size() <= options.max_qubits)) {
                // Into the gate's block, or a block of its own rather than a wide one.
                j = place(width <= options.max_qubits ? j : -1, i, qs, MatrixShape::dense, false, false);
                Block& block = blocks_[std::size_t(j)];
                for (unsigned q : qs) {
                    block.ops.insert(block.ops.end(), pending[q].begin(), pending[q].end());
                    pending[q].clear();
                }
                // By index: the waiting gates act on qubits no earlier gate of the block
                // touches, so they commute with every gate they pass.
                std::sort(block.ops.begin(), block.ops.end());
                continue;
            }
            for (unsigned q : qs) flush(q);
            j = block_of();
        }
        place(j, i, qs, shape, phase, alone);
    }
    // Gates still waiting at the end have no later gate to join: blocks of up to 3 of their
    // qubits (a closing rotation layer), a pass for several instead of one each. Wider blocks
    // would cost more arithmetic than the passes they save: 2^k multiply-adds per amplitude for
    // k qubits' gates against 2 k, and with cache blocking the passes are cheap.
    const std::size_t per_block = std::min(options.max_qubits, 3u);
    std::vector<unsigned> waiting;
    for (unsigned q = 0; q < c.num_qubits(); ++q)
        if (!pending[q].empty()) waiting.push_back(q);
    for (std::size_t first = 0; first < waiting.size(); first += per_block) {
        Block block{{}, {}, MatrixShape::dense, Kind::matrix, false};
        for (std::size_t j = first; j < std::min(waiting.size(), first + per_block); ++j) {
            block.qubits.push_back(waiting[j]);
            block.ops.insert(block.ops.end(), pending[waiting[j]].begin(), pending[waiting[j]].end());
        }
        std::sort(block.ops.begin(), block.ops.end());  // each qubit's gates stay in order
        blocks_.push_back(std::move(block));
    }
    for (Block& block : blocks_) {
        if (block.ops.size() == 1)
            block.kind = Kind::single;
        else if (block.qubits.size() > detail::kMaxTargets)
            block.kind = Kind::phase;  // only quadratic-phase blocks grow this wide
    }
    // A block with no parameter has the same matrix on every run: formed here once (a ring of
    // CNOTs is a 6-qubit permutation block whose 64 columns cost more to form than to apply).
    fixed_.resize(blocks_.size());
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
        const bool constant = std::all_of(blocks_[b].ops.begin(), blocks_[b].ops.end(), [&](std::size_t i) {
            return std::all_of(ops[i].params.begin(), ops[i].params.end(), [](const ParamExpr& p) { return p.is_constant(); });
        });
        if (!constant) continue;
        if (std::optional<detail::BlockedStep> step = detail::lower_block(c, blocks_[b], {}))
            fixed_[b] = std::make_shared<const detail::BlockedStep>(std::move(*step));
    }
    // Passes are planned here, not per run: a plan depends only on which qubits each step
    // touches and which steps are phase polynomials (so outlines of the steps will do), and on
    // where the operations that are not unitaries split the blocks into runs, as run() splits them.
    const unsigned n = c.num_qubits();
    const unsigned chunks[2] = {detail::chunk_qubits<double>(), detail::chunk_qubits<float>()};
    if (cache_blocking_ && n >= std::min(chunks[0], chunks[1]) + 2) {
        auto passes = std::make_shared<detail::FusionPasses>();
        std::vector<detail::BlockedStep> run;
        auto close = [&] {
            for (int p = 0; p < 2; ++p)
                passes->runs[p].push_back(n >= chunks[p] + 2 ? detail::plan_blocked(n, chunks[p], run)
                                                             : std::vector<detail::BlockedPass>{});
            run.clear();
        };
        for (const Block& block : blocks_) {
            if (runs_as_operation(c, block)) {
                close();
                continue;
            }
            detail::BlockedStep outline;
            outline.qubits = mask_of(block.qubits);
            if (block.kind == Kind::phase) outline.phase.emplace(0u);
            run.push_back(std::move(outline));
        }
        close();
        passes_ = std::move(passes);
    }
}

const Circuit& FusionPlan::circuit() const noexcept { return relabelling_ ? relabelling_->circuit : *given_; }

namespace detail {

std::optional<BlockedStep> lower_block(const Circuit& c, const FusionPlan::Block& block, std::span<const double> params) {
    if (runs_as_operation(c, block)) return std::nullopt;
    auto matrix_of = [&](const Operation& op) {
        std::array<double, 4> values{};
        for (std::size_t p = 0; p < op.params.size(); ++p) values[p] = op.params[p].evaluate(params);
        return op.gate == GateKind::unitary ? *op.matrix
                                            : gate_matrix(op.gate, std::span<const double>(values.data(), op.params.size()));
    };
    BlockedStep step;
    if (block.kind == FusionPlan::Kind::single) {
        const Operation& op = c.operations()[block.ops[0]];
        step.matrix = matrix_of(op);
        step.shape = operation_shape(op);
        step.targets = op.targets;
        step.controls = op.controls;
        step.control_values = op.control_values;
        step.qubits = mask_of(op.targets) | mask_of(op.controls);
        return step;
    }
    step.qubits = mask_of(block.qubits);
    if (block.kind == FusionPlan::Kind::phase) {
        step.phase.emplace(c.num_qubits());
        for (std::size_t i : block.ops) step.phase->add(c.operations()[i], params);
        return step;
    }
    const unsigned kb = unsigned(block.qubits.size()), d = 1u << kb;
    auto local = [&](unsigned q) {
        return unsigned(std::lower_bound(block.qubits.begin(), block.qubits.end(), q) - block.qubits.begin());
    };
    // A diagonal block is the product of its gates' diagonals: the gates applied to a vector of
    // ones. Otherwise each column j of the block matrix is the gates applied to basis vector |j>.
    const unsigned ncols = block.shape == MatrixShape::diagonal ? 1 : d;
    std::vector<std::complex<double>> columns(std::size_t(ncols) * d, 0.0);
    for (unsigned j = 0; j < ncols; ++j) {
        if (block.shape == MatrixShape::diagonal)
            std::fill(columns.begin(), columns.end(), 1.0);
        else
            columns[std::size_t(j) * d + j] = 1.0;
    }
    for (std::size_t i : block.ops) {
        const Operation& op = c.operations()[i];
        std::vector<unsigned> targets;
        for (unsigned t : op.targets) targets.push_back(local(t));
        unsigned ctrl_mask = 0, ctrl_value = 0;
        for (std::size_t j = 0; j < op.controls.size(); ++j) {
            ctrl_mask |= 1u << local(op.controls[j]);
            if (op.control_values[j]) ctrl_value |= 1u << local(op.controls[j]);
        }
        apply_local(columns.data(), ncols, kb, matrix_of(op), targets, ctrl_mask, ctrl_value);
    }
    Matrix& m = step.matrix;
    m.assign(std::size_t(d) * d, 0.0);
    for (unsigned col = 0; col < d; ++col)
        for (unsigned row = 0; row < d; ++row) {
            if (block.shape == MatrixShape::diagonal) {
                if (row == col) m[std::size_t(row) * d + col] = columns[row];
            } else {
                m[std::size_t(row) * d + col] = columns[std::size_t(col) * d + row];
            }
        }
    step.shape = block.shape;
    step.targets = block.qubits;
    return step;
}

}  // namespace detail

template <Precision T>
RunResult FusionPlan::run(StateVector<T>& state, std::span<const double> params, const RunOptions& options) const {
    const Circuit& c = circuit();
    if (state.num_qubits() != c.num_qubits())
        throw Error(ErrorCode::invalid_input, fmt::format("FusionPlan::run: the circuit has {} qubits but the state has {}",
                                                          c.num_qubits(), state.num_qubits()));
    c.check_bindings(params, "FusionPlan::run");
    detail::Execution<T> exec(c, state, params, options, relabelling_ ? &relabelling_->terminal : nullptr);
    // Blocks run in cache-blocked passes (cache_blocking.hpp); a measurement, reset or
    // conditioned gate runs the blocks before it first.
    std::vector<detail::BlockedStep> pending;
    const unsigned chunk = detail::chunk_qubits<T>();
    const bool planned = passes_ && state.num_qubits() >= chunk + 2;
    std::size_t run_index = 0;
    auto flush = [&] {
        if (planned)
            detail::run_blocked(state, std::span<const detail::BlockedStep>(pending),
                                std::span<const detail::BlockedPass>(passes_->runs[std::is_same_v<T, float>][run_index]));
        else
            detail::run_blocked(state, std::span<const detail::BlockedStep>(pending), cache_blocking_ ? chunk : 64u);
        ++run_index;
        pending.clear();
    };
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
        const Block& block = blocks_[b];
        if (fixed_[b]) {
            pending.push_back(*fixed_[b]);
        } else if (std::optional<detail::BlockedStep> step = detail::lower_block(c, block, params)) {
            pending.push_back(std::move(*step));
        } else {
            flush();
            exec.step(block.ops[0]);
        }
    }
    flush();
    if (relabelling_) detail::permute_qubits(state, relabelling_->restore, chunk);
    return std::move(exec.result);
}

template <Precision T>
unsigned measured_fusion_limit() {
    static std::mutex mutex;
    static std::map<std::pair<Isa, std::size_t>, unsigned> cache;
    const std::pair key{current_isa(), num_threads()};
    std::lock_guard lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    constexpr unsigned n = 22;
    StateVector<T> state(n);
    auto seconds_per_pass = [&](unsigned k) {
        // The DFT on k qubits: dense and unitary, so repeated passes keep the numbers tame.
        const std::size_t d = std::size_t{1} << k;
        Matrix m(d * d);
        for (std::size_t r = 0; r < d; ++r)
            for (std::size_t c = 0; c < d; ++c)
                m[r * d + c] = std::polar(1.0 / std::sqrt(double(d)), 2 * std::numbers::pi * double(r * c) / double(d));
        std::vector<unsigned> targets;
        for (unsigned j = 0; j < k; ++j) targets.push_back(n - 1 - j);
        double best = 1e300;
        for (int rep = 0; rep < 3; ++rep) {
            const auto t0 = std::chrono::steady_clock::now();
            apply_matrix(state, m, targets);
            best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        return best;
    };
    const double one = seconds_per_pass(1);
    unsigned limit = 1;
    for (unsigned k = 2; k <= 5; ++k)
        if (seconds_per_pass(k) <= 1.3 * one) limit = k;
    cache[key] = limit;
    return limit;
}

template unsigned measured_fusion_limit<float>();
template unsigned measured_fusion_limit<double>();

template RunResult FusionPlan::run(StateVector<float>&, std::span<const double>, const RunOptions&) const;
template RunResult FusionPlan::run(StateVector<double>&, std::span<const double>, const RunOptions&) const;

}  // namespace kettle
