#pragma once
// The batched kernels, included once per instruction set by batched_kernels_{scalar,avx2,
// avx512}.cpp, each compiled with its own flags. Everything here is in an unnamed namespace
// and uses no library templates, so no code built for one instruction set can be picked by the
// linker for another unit's caller. The vector arithmetic is in batched_simd.hpp, the
// one-target pair kernels in batched_pair_kernels.hpp.

#include "batched_pair_kernels.hpp"

namespace kettle::qml_detail {
namespace {

/// Base index of group g of a general op: zeros inserted at the site bits, control values set.
KETTLE_BATCH_INLINE std::uint64_t group_base(const BatchOp& op, std::uint64_t g) {
    for (unsigned t = 0; t < op.num_sites; ++t) {
        const unsigned p = op.sites[t];
        g = ((g >> p) << (p + 1)) | (g & ((std::uint64_t{1} << p) - 1));
    }
    return g | op.ctrl_value;
}

void apply_general(const BatchOp& op, unsigned n, const double* m, double* psi) {
    const unsigned d = op.dim;
    const std::uint64_t groups = std::uint64_t{1} << (n - op.num_sites);
    CV v[64];
    for (std::uint64_t g = 0; g < groups; ++g) {
        const std::uint64_t base = group_base(op, g);
        for (unsigned j = 0; j < d; ++j) v[j] = ldc(psi + (base + op.offsets[j]) * kAmpStride);
        for (unsigned r = 0; r < d; ++r) {
            CV acc = cmul(ldc(m + std::size_t(r) * d * kAmpStride), v[0]);
            for (unsigned c = 1; c < d; ++c) acc = cadd(acc, cmul(ldc(m + (std::size_t(r) * d + c) * kAmpStride), v[c]));
            stc(psi + (base + op.offsets[r]) * kAmpStride, acc);
        }
    }
}

KETTLE_BATCH_INLINE unsigned kind_index(const BatchOp& op) { return unsigned(op.kind); }
KETTLE_BATCH_INLINE unsigned mode(const BatchOp& op) {
    return unsigned(op.relabelled ? Mode::relabelled : op.ctrl_mask != 0 ? Mode::controlled : Mode::plain);
}

void apply(const BatchOp& op, unsigned n, const double* m, double* psi) {
    if (op.kind == BatchKind::general) {
        apply_general(op, n, m, psi);
        return;
    }
    One::apply[kind_index(op) * kModes + mode(op)](op, n, m, psi);
}

void apply2(const BatchOp& op1, const BatchOp& op2, unsigned n, const double* m1, const double* m2, double* psi) {
    Two::apply[(kind_index(op1) * kPairKinds + kind_index(op2)) * kModes + mode(op1)](op1, n, m1, m2, psi);
}

void sweep1(const BatchOp& op, unsigned n, const double* inverse, double* psi, double* lambda, double* deriv) {
    const unsigned e = kind_index(op) * kModes + mode(op);
    (op.by_matrix > 0 ? One::by_matrix[e] : One::sweep[e])(op, n, inverse, psi, lambda, deriv);
}

void sweep2(const BatchOp& op1, const BatchOp& op2, unsigned n, const double* inverse1, const double* inverse2,
            double* psi, double* lambda, double* deriv1, double* deriv2) {
    Two::sweep[(kind_index(op1) * kPairKinds + kind_index(op2)) * kModes + mode(op1)](
        op1, op2, n, inverse1, inverse2, psi, lambda, deriv1, deriv2);
}

void permute(unsigned n, const std::uint64_t* cols, const double* src, double* dst, bool inverse) {
    const std::uint64_t size = std::uint64_t{1} << n;
    std::uint64_t image = 0;  // A x, updated along a Gray code: one column flips per step
    for (std::uint64_t k = 0; k < size; ++k) {
        const std::uint64_t x = k ^ (k >> 1);
        if (k > 0) image ^= cols[__builtin_ctzll(k)];
        const CV v = ldc((inverse ? src + x * kAmpStride : src + image * kAmpStride));
        stc(inverse ? dst + image * kAmpStride : dst + x * kAmpStride, v);
    }
}

void general_derivative(const BatchOp& op, unsigned n, const double* dm, const double* lambda, const double* psi,
                        double* out) {
    const unsigned d = op.dim;
    const std::uint64_t groups = std::uint64_t{1} << (n - op.num_sites);
    V sum = {};
    CV v[64];
    for (std::uint64_t g = 0; g < groups; ++g) {
        const std::uint64_t base = group_base(op, g);
        for (unsigned j = 0; j < d; ++j) v[j] = ldc(psi + (base + op.offsets[j]) * kAmpStride);
        for (unsigned r = 0; r < d; ++r) {
            CV row = cmul(ldc(dm + std::size_t(r) * d * kAmpStride), v[0]);
            for (unsigned c = 1; c < d; ++c) row = cadd(row, cmul(ldc(dm + (std::size_t(r) * d + c) * kAmpStride), v[c]));
            sum += cjmul(ldc(lambda + (base + op.offsets[r]) * kAmpStride), row).re;
        }
    }
    st(out, 2.0 * sum);
}

void pauli_inner(unsigned n, std::uint64_t flip, std::uint64_t sign, std::uint64_t ctrl_mask, std::uint64_t ctrl_value,
                 const double* a, const double* b, double* re, double* im) {
    const std::uint64_t size = std::uint64_t{1} << n;
    V sr = {}, si = {};
    for (std::uint64_t i = 0; i < size; ++i) {
        if ((i & ctrl_mask) != ctrl_value) continue;
        const CV v = cjmul(ldc(a + (i ^ flip) * kAmpStride), ldc(b + i * kAmpStride));
        if (__builtin_popcountll(i & sign) & 1) {
            sr -= v.re;
            si -= v.im;
        } else {
            sr += v.re;
            si += v.im;
        }
    }
    st(re, sr);
    st(im, si);
}

void accumulate_pauli(unsigned n, std::uint64_t flip, std::uint64_t sign, const double* factor, const double* psi,
                      double* lambda) {
    const std::uint64_t size = std::uint64_t{1} << n;
    const CV f = ldc(factor), g = {-f.re, -f.im};
    for (std::uint64_t i = 0; i < size; ++i) {
        double* out = lambda + (i ^ flip) * kAmpStride;
        const CV v = cmul((__builtin_popcountll(i & sign) & 1) ? g : f, ldc(psi + i * kAmpStride));
        stc(out, cadd(ldc(out), v));
    }
}

/// Doubling: after qubit q, entries 0..2^(q+1) hold the product of v_0..v_q.
void product_state(unsigned n, const double* v, double* psi) {
    const V one = {1, 1, 1, 1, 1, 1, 1, 1}, zero = {};
    stc(psi, {one, zero});
    for (unsigned q = 0; q < n; ++q) {
        const std::uint64_t half = std::uint64_t{1} << q;
        const CV v0 = ldc(v + 2 * q * kAmpStride), v1 = ldc(v + (2 * q + 1) * kAmpStride);
        for (std::uint64_t i = 0; i < half; ++i) {
            const CV x = ldc(psi + i * kAmpStride);
            stc(psi + (i + half) * kAmpStride, cmul(v1, x));
            stc(psi + i * kAmpStride, cmul(v0, x));
        }
    }
}

/// Contracts t (entries over qubits lo..lo+m-1, bit k of the index for qubit lo + k) with the
/// factors of qubits [from, from + count), the top or bottom of that range, into out.
KETTLE_BATCH_INLINE void contract(const double* t, unsigned m, unsigned lo, bool top, unsigned count, const double* v,
                                  double* out, double* tmp) {
    // Alternate between out and tmp so that the last contraction lands in out.
    const double* src = t;
    for (unsigned c = 0; c < count; ++c) {
        double* dst = (count - c) % 2 == 1 ? out : tmp;
        const std::uint64_t half = std::uint64_t{1} << (m - c - 1);
        const unsigned q = top ? lo + m - c - 1 : lo + c;
        const CV v0 = ldc(v + 2 * q * kAmpStride), v1 = ldc(v + (2 * q + 1) * kAmpStride);
        for (std::uint64_t x = 0; x < half; ++x) {
            const std::uint64_t i0 = top ? x : 2 * x, i1 = top ? x + half : 2 * x + 1;
            stc(dst + x * kAmpStride,
                cadd(cmul(ldc(src + i0 * kAmpStride), v0), cmul(ldc(src + i1 * kAmpStride), v1)));
        }
        src = dst;
    }
}

/// Environments of qubits [lo, lo + m) from t, the conjugated adjoint state contracted with
/// every other qubit's factor: halves the range and recurses, so the total work is a few
/// passes over the state rather than one per qubit.
void environments(const double* t, unsigned m, unsigned lo, const double* v, double* env, double* scratch) {
    if (m == 1) {
        stc(env + 2 * lo * kAmpStride, ldc(t));
        stc(env + (2 * lo + 1) * kAmpStride, ldc(t + kAmpStride));
        return;
    }
    const unsigned low = m / 2, high = m - low;
    // The contractions' results and intermediates (at most 2^(m-1) entries each), then the
    // recursion's own scratch: 2^m + 2^(m-1) + ... < 2^(m+1) entries in all.
    const std::uint64_t half = std::uint64_t{1} << (m - 1);
    double* part = scratch;
    double* tmp = part + half * kAmpStride;
    double* rest = tmp + half * kAmpStride;
    contract(t, m, lo, true, high, v, part, tmp);
    environments(part, low, lo, v, env, rest);
    contract(t, m, lo, false, low, v, part, tmp);
    environments(part, high, lo + low, v, env, rest);
}

void environment(unsigned n, const double* v, const double* lambda, double* env, double* scratch) {
    // t = conj(lambda), in scratch; the recursion's buffers follow it.
    const std::uint64_t size = std::uint64_t{1} << n;
    for (std::uint64_t i = 0; i < size; ++i) {
        const CV x = ldc(lambda + i * kAmpStride);
        stc(scratch + i * kAmpStride, {x.re, -x.im});
    }
    environments(scratch, n, 0, v, env, scratch + size * kAmpStride);
}

void prefix_derivatives(const PrefixGate* gates, unsigned count, const double* env, double* chain) {
    const V one = {1, 1, 1, 1, 1, 1, 1, 1}, zero = {};
    stc(chain, {one, zero});
    stc(chain + kAmpStride, {zero, zero});
    for (unsigned j = 0; j < count; ++j) {  // chain entries 2j, 2j + 1: the factor after j gates
        const Mat2 u = load_mat2(gates[j].matrix);
        CV a = ldc(chain + 2 * j * kAmpStride), b = ldc(chain + (2 * j + 1) * kAmpStride);
        map_pair<BatchKind::dense1>(u, a, b);
        stc(chain + 2 * (j + 1) * kAmpStride, a);
        stc(chain + (2 * (j + 1) + 1) * kAmpStride, b);
    }
    CV w0 = ldc(env), w1 = ldc(env + kAmpStride);  // the row e g_count ... g_{j+1}
    for (unsigned j = count; j-- > 0;) {
        const PrefixGate& g = gates[j];
        const Mat2 u = load_mat2(g.matrix);
        if (g.by_generator) {
            // G|c> = i^num_y (-1)^(c sign) |c ^ flip>; the term is Im(w G u) with u after the gate.
            const CV u0 = ldc(chain + 2 * (j + 1) * kAmpStride), u1 = ldc(chain + (2 * (j + 1) + 1) * kAmpStride);
            CV h0 = g.flip ? u1 : u0, h1 = g.flip ? u0 : u1;
            if (g.flip && g.sign) h0 = {-h0.re, -h0.im};
            if (!g.flip && g.sign) h1 = {-h1.re, -h1.im};
            const CV z = cadd(cmul(w0, h0), cmul(w1, h1));
            st(g.deriv, imag_of_phase(g.num_y, z.re, z.im));
        }
        for (unsigned d = 0; d < g.by_matrix; ++d) {
            const Mat2 dm = load_mat2(g.matrix + (2 + d) * 4 * kAmpStride);
            CV a = ldc(chain + 2 * j * kAmpStride), b = ldc(chain + (2 * j + 1) * kAmpStride);
            map_pair<BatchKind::dense1>(dm, a, b);
            st(g.deriv + d * kLanes, 2.0 * cadd(cmul(w0, a), cmul(w1, b)).re);
        }
        const CV x0 = w0, x1 = w1;  // w U
        w0 = cadd(cmul(x0, u.m[0]), cmul(x1, u.m[2]));
        w1 = cadd(cmul(x0, u.m[1]), cmul(x1, u.m[3]));
    }
}

void apply_factor(const double* u, double* v) {
    CV a = ldc(v), b = ldc(v + kAmpStride);
    map_pair<BatchKind::dense1>(load_mat2(u), a, b);
    stc(v, a);
    stc(v + kAmpStride, b);
}

/// sin and cos of x = a / 2: x = k pi/2 + r with |r| <= pi/4 (pi/2 in three parts of 33 bits,
/// whose products with k stay exact), the fdlibm kernel polynomials for sin r and cos r, and
/// the quadrant k mod 4 choosing and signing them. Lanes with |x| beyond 2^19 pi/2, where k
/// no longer fits those parts, take the library functions.
void half_angle_sincos(const double* angles, double* c, double* s) {
    using I = long long __attribute__((vector_size(kLanes * sizeof(long long))));
    const V x = 0.5 * ld(angles);
    const V shift = V{} + 0x1.8p52;
    const V k = (x * 0.63661977236758134308 + shift) - shift;  // round(x * 2/pi)
    const V r = ((x - k * 1.57079632673412561417e+00) - k * 6.07710050630396597660e-11) - k * 2.02226624871116645580e-21;
    const V z = r * r;
    const V sin_r = r + r * z * (-1.66666666666666324348e-01 +
                                 z * (8.33333333332248946124e-03 +
                                      z * (-1.98412698298579493134e-04 +
                                           z * (2.75573137070700676789e-06 +
                                                z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)))));
    const V cos_r = 1.0 - 0.5 * z +
                    z * z * (4.16666666666666019037e-02 +
                             z * (-1.38888888888741095749e-03 +
                                  z * (2.48015872894767294178e-05 +
                                       z * (-2.75573143513906633035e-07 +
                                            z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
    const I quadrant = __builtin_convertvector(k, I) & 3;
    const I odd = (quadrant & 1) != 0, sin_negative = (quadrant & 2) != 0, cos_negative = ((quadrant + 1) & 2) != 0;
    V sn = odd ? cos_r : sin_r, cs = odd ? sin_r : cos_r;
    sn = sin_negative ? -sn : sn;
    cs = cos_negative ? -cs : cs;
    st(s, sn);
    st(c, cs);
    for (unsigned l = 0; l < kLanes; ++l)
        if (!(x[l] < 8.2e5 && x[l] > -8.2e5)) {
            s[l] = __builtin_sin(x[l]);
            c[l] = __builtin_cos(x[l]);
        }
}

constexpr BatchKernels kTable{&apply,       &apply2,           &sweep1,  &sweep2,        &general_derivative,
                              &pauli_inner, &accumulate_pauli, &permute, &environment,   &prefix_derivatives,
                              &apply_factor, &half_angle_sincos, &product_state};

}  // namespace
}  // namespace kettle::qml_detail
