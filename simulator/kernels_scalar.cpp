// Portable kernels: the reference every SIMD path is tested against, and the fallback for
// gates whose site qubits lie inside one SIMD register. Complex products are written out by
// hand: std::complex's operator* checks for infinities and NaNs through a library call.

#include "kernels_impl.hpp"

namespace kettle::detail {
namespace {

template <class Real>
struct ScalarVec {
    using T = Real;
    static constexpr unsigned log2_width = 0;
    struct reg {
        T re, im;
    };
    using bcast = reg;
    static reg load(const T* p) noexcept { return {p[0], p[1]}; }
    static void store(T* p, reg v) noexcept { p[0] = v.re, p[1] = v.im; }
    static void stream(T* p, reg v) noexcept { store(p, v); }
    static void fence() noexcept {}
    static bcast broadcast(std::complex<T> z) noexcept { return {z.real(), z.imag()}; }
    static bcast split(reg v) noexcept { return v; }
    static reg times_i(reg v) noexcept { return {-v.im, v.re}; }
    static reg scale(T s, reg v) noexcept { return {s * v.re, s * v.im}; }
    static reg fma_scalar(T s, reg v, reg acc) noexcept { return {acc.re + s * v.re, acc.im + s * v.im}; }
    static reg set1(T s) noexcept { return {s, s}; }
    static reg swap(reg v) noexcept { return {v.im, v.re}; }
    static reg fmadd(reg a, reg b, reg acc) noexcept { return {a.re * b.re + acc.re, a.im * b.im + acc.im}; }
    static reg times(reg a, reg b) noexcept { return {a.re * b.re, a.im * b.im}; }
    static reg fmaddsub(reg a, reg b, reg acc) noexcept { return {a.re * b.re - acc.re, a.im * b.im + acc.im}; }
    static reg mul(bcast m, reg v) noexcept { return {m.re * v.re - m.im * v.im, m.re * v.im + m.im * v.re}; }
    static constexpr unsigned max_rows = 8;
    static reg fma(bcast m, reg v, reg acc) noexcept {
        return {acc.re + m.re * v.re - m.im * v.im, acc.im + m.re * v.im + m.im * v.re};
    }
};

constexpr auto kScalarFloat = table_for<ScalarVec<float>>("scalar");
constexpr auto kScalarDouble = table_for<ScalarVec<double>>("scalar");

}  // namespace

template <> const KernelTable<float>& scalar_kernel_table<float>() { return kScalarFloat; }
template <> const KernelTable<double>& scalar_kernel_table<double>() { return kScalarDouble; }

}  // namespace kettle::detail
