#include "reference.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace kettle::reference {
namespace {

using C = std::complex<double>;
constexpr C kI{0.0, 1.0};

CMatrix identity(std::size_t d) { return CMatrix::Identity(Eigen::Index(d), Eigen::Index(d)); }

/// exp(-i θ/2 P) for a Hermitian P with P^2 = I: cos(θ/2) I - i sin(θ/2) P.
CMatrix rotation(const CMatrix& p, double theta) {
    return std::cos(theta / 2) * identity(std::size_t(p.rows())) - kI * std::sin(theta / 2) * p;
}

CMatrix diag2(C a, C b) {
    CMatrix m = CMatrix::Zero(2, 2);
    m(0, 0) = a;
    m(1, 1) = b;
    return m;
}

CMatrix u3(double theta, double phi, double lambda) {
    CMatrix m(2, 2);
    m(0, 0) = std::cos(theta / 2);
    m(0, 1) = -std::exp(kI * lambda) * std::sin(theta / 2);
    m(1, 0) = std::exp(kI * phi) * std::sin(theta / 2);
    // A product, not exp(i (phi + lambda)): that sum rounds away the smaller of two angles far
    // apart in size (1e27 and pi), and the matrix is then not unitary.
    m(1, 1) = std::exp(kI * phi) * std::exp(kI * lambda) * std::cos(theta / 2);
    return m;
}

/// |r><c| on one qubit.
CMatrix outer(unsigned r, unsigned c) {
    CMatrix m = CMatrix::Zero(2, 2);
    m(r, c) = 1;
    return m;
}

void check_params(GateKind kind, std::span<const double> params, std::size_t expected) {
    if (params.size() != expected)
        throw std::invalid_argument("reference: gate kind " + std::to_string(int(kind)) + " takes " +
                                    std::to_string(expected) + " parameters");
}

bool controls_hold(std::uint64_t index, const Site& site) {
    for (std::size_t i = 0; i < site.controls.size(); ++i)
        if ((index >> site.controls[i] & 1) != site.control_values[i]) return false;
    return true;
}

/// The target bits of `index` as a matrix index (bit j = targets[j]).
std::uint64_t gather(std::uint64_t index, const Site& site) {
    std::uint64_t sub = 0;
    for (std::size_t j = 0; j < site.targets.size(); ++j) sub |= (index >> site.targets[j] & 1) << j;
    return sub;
}

/// `index` with its target bits replaced by the bits of matrix index `sub`.
std::uint64_t scatter(std::uint64_t index, std::uint64_t sub, const Site& site) {
    for (std::size_t j = 0; j < site.targets.size(); ++j) {
        const std::uint64_t bit = std::uint64_t{1} << site.targets[j];
        index = (sub >> j & 1) ? (index | bit) : (index & ~bit);
    }
    return index;
}

void check_site(unsigned n, const CMatrix& u, const Site& site) {
    if (u.rows() != (Eigen::Index{1} << site.targets.size()) || u.cols() != u.rows())
        throw std::invalid_argument("reference: the matrix does not match the number of targets");
    if (site.controls.size() != site.control_values.size())
        throw std::invalid_argument("reference: controls and control values differ in number");
    std::uint64_t seen = 0;
    auto mark = [&](unsigned q) {
        if (q >= n || (seen >> q & 1)) throw std::invalid_argument("reference: bad or repeated qubit");
        seen |= std::uint64_t{1} << q;
    };
    for (unsigned q : site.targets) mark(q);
    for (unsigned q : site.controls) mark(q);
}

Site site_of(const Operation& op) { return {op.targets, op.controls, op.control_values}; }

}  // namespace

CMatrix kron(const CMatrix& a, const CMatrix& b) {
    CMatrix out(a.rows() * b.rows(), a.cols() * b.cols());
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j)
            out.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
    return out;
}

CMatrix pauli(char p) {
    CMatrix m = CMatrix::Zero(2, 2);
    switch (p) {
        case 'I': m(0, 0) = 1; m(1, 1) = 1; break;
        case 'X': m(0, 1) = 1; m(1, 0) = 1; break;
        case 'Y': m(0, 1) = -kI; m(1, 0) = kI; break;
        case 'Z': m(0, 0) = 1; m(1, 1) = -1; break;
        default: throw std::invalid_argument(std::string("reference: no Pauli matrix ") + p);
    }
    return m;
}

CMatrix textbook_matrix(GateKind kind, std::span<const double> p) {
    using std::numbers::pi;
    const CMatrix X = pauli('X'), Y = pauli('Y'), Z = pauli('Z');
    check_params(kind, p, kind == GateKind::unitary ? 0 : gate_info(kind).num_params);
    switch (kind) {
        case GateKind::i: return identity(2);
        case GateKind::x: return X;
        case GateKind::y: return Y;
        case GateKind::z: return Z;
        case GateKind::h: return (X + Z) / std::sqrt(2.0);
        case GateKind::s: return diag2(1, kI);
        case GateKind::sdg: return diag2(1, -kI);
        case GateKind::t: return diag2(1, std::exp(kI * (pi / 4)));
        case GateKind::tdg: return diag2(1, std::exp(-kI * (pi / 4)));
        case GateKind::sx:
        case GateKind::sxdg: {
            CMatrix sx(2, 2);
            sx << C(1, 1), C(1, -1), C(1, -1), C(1, 1);
            sx /= 2.0;
            return kind == GateKind::sx ? sx : CMatrix(sx.adjoint());
        }
        case GateKind::rx: return rotation(X, p[0]);
        case GateKind::ry: return rotation(Y, p[0]);
        case GateKind::rz: return rotation(Z, p[0]);
        case GateKind::p: return diag2(1, std::exp(kI * p[0]));
        case GateKind::u: return u3(p[0], p[1], p[2]);
        case GateKind::ug: return std::exp(kI * p[3]) * u3(p[0], p[1], p[2]);
        case GateKind::swap: {
            // |b1 b0> -> |b0 b1>.
            CMatrix m = CMatrix::Zero(4, 4);
            for (unsigned c = 0; c < 4; ++c) m((c >> 1) | ((c & 1) << 1), c) = 1;
            return m;
        }
        case GateKind::rxx: return rotation(kron(X, X), p[0]);
        case GateKind::ryy: return rotation(kron(Y, Y), p[0]);
        case GateKind::rzz: return rotation(kron(Z, Z), p[0]);
        case GateKind::unitary: break;
    }
    throw std::invalid_argument("reference: a unitary gate carries its own matrix");
}

CMatrix to_eigen(const Matrix& m) {
    const auto d = static_cast<Eigen::Index>(std::llround(std::sqrt(double(m.size()))));
    if (std::size_t(d * d) != m.size()) throw std::invalid_argument("reference: the matrix is not square");
    CMatrix out(d, d);
    for (Eigen::Index r = 0; r < d; ++r)
        for (Eigen::Index c = 0; c < d; ++c) out(r, c) = m[std::size_t(r * d + c)];
    return out;
}

CMatrix operation_matrix(const Operation& op, std::span<const double> values, MatrixSource source) {
    if (op.kind != OpKind::gate) throw std::invalid_argument("reference: not a gate: " + op.name());
    if (op.gate == GateKind::unitary) return to_eigen(*op.matrix);
    std::vector<double> bound;
    for (const ParamExpr& e : op.params) bound.push_back(e.evaluate(values));
    return source == MatrixSource::textbook ? textbook_matrix(op.gate, bound) : to_eigen(gate_matrix(op.gate, bound));
}

CMatrix full_operator(unsigned n, const CMatrix& u, const Site& site) {
    check_site(n, u, site);
    const std::uint64_t dim = std::uint64_t{1} << n;
    CMatrix f = CMatrix::Zero(Eigen::Index(dim), Eigen::Index(dim));
    for (std::uint64_t col = 0; col < dim; ++col) {
        if (!controls_hold(col, site)) {
            f(Eigen::Index(col), Eigen::Index(col)) = 1;
            continue;
        }
        const std::uint64_t c = gather(col, site);
        for (std::uint64_t r = 0; r < std::uint64_t(u.rows()); ++r)
            f(Eigen::Index(scatter(col, r, site)), Eigen::Index(col)) = u(Eigen::Index(r), Eigen::Index(c));
    }
    return f;
}

CMatrix kron_operator(unsigned n, const CMatrix& u, const Site& site) {
    check_site(n, u, site);
    // Qubit n-1 is the leftmost factor of a Kronecker product (the most significant bit).
    auto product = [n](auto&& factor) {
        CMatrix m = CMatrix::Identity(1, 1);
        for (unsigned q = n; q-- > 0;) m = kron(m, factor(q));
        return m;
    };
    const std::uint64_t dim = std::uint64_t{1} << n;
    CMatrix embedded = CMatrix::Zero(Eigen::Index(dim), Eigen::Index(dim));
    for (Eigen::Index r = 0; r < u.rows(); ++r)
        for (Eigen::Index c = 0; c < u.cols(); ++c)
            embedded += u(r, c) * product([&](unsigned q) {
                for (std::size_t j = 0; j < site.targets.size(); ++j)
                    if (site.targets[j] == q) return outer(unsigned(r >> j & 1), unsigned(c >> j & 1));
                return identity(2);
            });
    const CMatrix projector = product([&](unsigned q) {
        for (std::size_t i = 0; i < site.controls.size(); ++i)
            if (site.controls[i] == q) return outer(site.control_values[i], site.control_values[i]);
        return identity(2);
    });
    return projector * embedded + (identity(dim) - projector);
}

CVector apply(const CVector& psi, unsigned n, const CMatrix& u, const Site& site) {
    check_site(n, u, site);
    const std::uint64_t dim = std::uint64_t{1} << n;
    if (std::uint64_t(psi.size()) != dim) throw std::invalid_argument("reference: the state has the wrong size");
    CVector out = CVector::Zero(psi.size());
    for (std::uint64_t col = 0; col < dim; ++col) {
        const C a = psi(Eigen::Index(col));
        if (!controls_hold(col, site)) {
            out(Eigen::Index(col)) += a;
            continue;
        }
        const std::uint64_t c = gather(col, site);
        for (std::uint64_t r = 0; r < std::uint64_t(u.rows()); ++r)
            out(Eigen::Index(scatter(col, r, site))) += u(Eigen::Index(r), Eigen::Index(c)) * a;
    }
    return out;
}

CVector apply(const CVector& psi, unsigned n, const Operation& op, std::span<const double> values,
              MatrixSource source) {
    if (op.condition) throw std::invalid_argument("reference: conditions are not supported");
    return apply(psi, n, operation_matrix(op, values, source), site_of(op));
}

CVector run(const Circuit& c, const CVector& psi, std::span<const double> values, MatrixSource source) {
    if (values.size() != c.num_parameters()) throw std::invalid_argument("reference: wrong number of parameter values");
    CVector state = psi;
    for (const Operation& op : c.operations()) {
        if (op.kind == OpKind::barrier) continue;
        if (op.kind != OpKind::gate) throw std::invalid_argument("reference: cannot run " + op.name());
        state = apply(state, c.num_qubits(), op, values, source);
    }
    return state;
}

CMatrix pauli_operator(unsigned n, const PauliTerm& term) {
    CMatrix m = CMatrix::Identity(1, 1);
    for (unsigned q = n; q-- > 0;) {
        char p = 'I';
        for (const auto& [fq, fp] : term.factors)
            if (fq == q) p = fp;
        m = kron(m, pauli(p));
    }
    return term.coeff * m;
}

double expectation(const CVector& psi, unsigned n, const PauliSum& observable) {
    C total = 0;
    for (const PauliTerm& t : observable.terms()) total += psi.dot(pauli_operator(n, t) * psi);  // dot conjugates psi
    return total.real();
}

CVector basis_state(unsigned n, std::uint64_t index) {
    CVector v = CVector::Zero(Eigen::Index{1} << n);
    v(Eigen::Index(index)) = 1;
    return v;
}

template <Precision T>
CVector to_eigen(const StateVector<T>& state) {
    CVector v(Eigen::Index(state.size()));
    for (std::size_t i = 0; i < state.size(); ++i) v(Eigen::Index(i)) = C(state[i]);
    return v;
}

template <Precision T>
std::vector<std::complex<T>> to_amplitudes(const CVector& psi) {
    std::vector<std::complex<T>> out(std::size_t(psi.size()));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::complex<T>(psi(Eigen::Index(i)));
    return out;
}

template <Precision T>
StateVector<T> make_state(unsigned n, const CVector& psi) {
    StateVector<T> state(n);
    const auto amplitudes = to_amplitudes<T>(psi);
    state.set_amplitudes(amplitudes);
    return state;
}

double max_abs_diff(const CVector& a, const CVector& b) {
    if (a.size() != b.size()) throw std::invalid_argument("reference: comparing vectors of different sizes");
    // maxCoeff skips NaN entries (its comparisons are false): a NaN must fail every tolerance.
    const Eigen::VectorXd diff = (a - b).cwiseAbs();
    return diff.hasNaN() ? std::numeric_limits<double>::infinity() : diff.maxCoeff();
}

template CVector to_eigen(const StateVector<float>&);
template CVector to_eigen(const StateVector<double>&);
template std::vector<std::complex<float>> to_amplitudes<float>(const CVector&);
template std::vector<std::complex<double>> to_amplitudes<double>(const CVector&);
template StateVector<float> make_state<float>(unsigned, const CVector&);
template StateVector<double> make_state<double>(unsigned, const CVector&);

}  // namespace kettle::reference
