#include "kettle/pauli.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>

#include "kettle/error.hpp"
#include "parallel.hpp"

namespace kettle {
namespace {

class PauliParser {
public:
    explicit PauliParser(std::string_view text) : text_(text) {}

    PauliSum parse() {
        std::vector<PauliTerm> terms;
        skip_space();
        if (pos_ == text_.size()) fail("an observable such as 'Z0 Z1'");
        double sign = 1.0;
        if (accept('-')) sign = -1.0;
        else accept('+');
        for (;;) {
            terms.push_back(term(sign));
            skip_space();
            if (pos_ == text_.size()) break;
            if (accept('+')) sign = 1.0;
            else if (accept('-')) sign = -1.0;
            else fail("'+', '-' or the end");
        }
        return PauliSum(std::move(terms));
    }

private:
    [[noreturn]] void fail(std::string_view expected) const {
        const std::string found = pos_ < text_.size() ? fmt::format("'{}'", text_[pos_]) : "the end";
        throw Error(ErrorCode::invalid_input, fmt::format("Pauli sum \"{}\": column {}: expected {}, found {}",
                                                          text_, pos_ + 1, expected, found));
    }
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    bool accept(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    static bool is_pauli(char c) { return c == 'X' || c == 'Y' || c == 'Z' || c == 'I'; }

    PauliTerm term(double sign) {
        PauliTerm t;
        t.coeff = sign;
        skip_space();
        bool any = false;
        bool after_separator = false;  // a '*' or '@' must be followed by a factor
        if (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
            t.coeff *= number();
            any = true;
            after_separator = accept('*') || accept('@');
        }
        std::uint64_t seen = 0;
        for (;;) {
            skip_space();
            if (pos_ >= text_.size() || !is_pauli(text_[pos_])) {
                if (after_separator) fail("a Pauli factor such as 'Z0' after '*' or '@'");
                break;
            }
            const char p = text_[pos_++];
            const std::size_t at = pos_;
            if (pos_ >= text_.size() || !std::isdigit(static_cast<unsigned char>(text_[pos_])))
                fail(fmt::format("a qubit index after '{}'", p));
            unsigned long q = 0;
            while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
                q = q * 10 + unsigned(text_[pos_++] - '0');
                if (q > 63) {
                    pos_ = at;
                    fail("a qubit index below 64");
                }
            }
            if (seen >> q & 1) {
                pos_ = at;
                fail(fmt::format("a qubit other than {}, which this term already names", q));
            }
            seen |= std::uint64_t{1} << q;
            if (p != 'I') t.factors.emplace_back(unsigned(q), p);
            any = true;
            after_separator = accept('*') || accept('@');
        }
        if (!any) fail("a coefficient or a Pauli factor such as 'Z0'");
        if (!std::isfinite(t.coeff)) fail("a finite coefficient");
        std::sort(t.factors.begin(), t.factors.end());
        return t;
    }

    double number() {
        const std::string rest(text_.substr(pos_));
        char* end = nullptr;
        const double v = std::strtod(rest.c_str(), &end);
        if (end == rest.c_str()) fail("a number");
        pos_ += std::size_t(end - rest.c_str());
        return v;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

unsigned PauliTerm::min_qubits() const noexcept {
    unsigned n = 0;
    for (const auto& f : factors) n = std::max(n, f.first + 1);
    return n;
}

PauliSum::PauliSum(std::vector<PauliTerm> terms) : terms_(std::move(terms)) {
    for (PauliTerm& t : terms_) {
        for (const auto& [q, p] : t.factors) {
            if (p != 'X' && p != 'Y' && p != 'Z')
                throw Error(ErrorCode::invalid_input, fmt::format("PauliSum: factor '{}' is not X, Y or Z", p));
            if (q > 63)
                throw Error(ErrorCode::invalid_input, fmt::format("PauliSum: qubit {} is above the limit of 63", q));
        }
        std::sort(t.factors.begin(), t.factors.end());
        auto dup = std::adjacent_find(t.factors.begin(), t.factors.end(),
                                      [](const auto& a, const auto& b) { return a.first == b.first; });
        if (dup != t.factors.end())
            throw Error(ErrorCode::invalid_input, fmt::format("PauliSum: qubit {} appears twice in one term", dup->first));
    }
}

PauliSum PauliSum::parse(std::string_view text) { return PauliParser(text).parse(); }

unsigned PauliSum::min_qubits() const noexcept {
    unsigned n = 0;
    for (const PauliTerm& t : terms_) n = std::max(n, t.min_qubits());
    return n;
}

std::string PauliSum::to_string() const {
    std::string out;
    for (std::size_t i = 0; i < terms_.size(); ++i) {
        const PauliTerm& t = terms_[i];
        double c = t.coeff;
        if (i > 0) {
            out += c < 0 ? " - " : " + ";
            c = std::abs(c);
        }
        out += fmt::format("{}", c);
        for (std::size_t f = 0; f < t.factors.size(); ++f)
            out += fmt::format("{}{}{}", f == 0 ? "*" : " ", t.factors[f].second, t.factors[f].first);
    }
    return out;
}

template <Precision T>
double expectation(const StateVector<T>& state, const PauliTerm& term) {
    if (term.min_qubits() > state.num_qubits())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("expectation: the observable names qubit {}, but the state has {} qubits (valid 0..{})",
                                term.min_qubits() - 1, state.num_qubits(), state.num_qubits() - 1));
    // P|i> = i^{#Y} (-1)^{popcount(i & z)} |i ^ x>, with Y counted in both masks, so
    // <psi|P|psi> = sum_i conj(psi[i ^ x]) i^{#Y} (-1)^{popcount(i & z)} psi[i].
    std::uint64_t x = 0, z = 0;
    unsigned ny = 0;
    for (const auto& [q, p] : term.factors) {
        const std::uint64_t bit = std::uint64_t{1} << q;
        if (p != 'Z') x |= bit;
        if (p != 'X') z |= bit;
        if (p == 'Y') ++ny;
    }
    const std::complex<double> iy[4] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    const std::complex<double> phase = iy[ny % 4];
    const auto* psi = state.data();
    const double re = detail::parallel_sum(state.size(), [&](std::uint64_t b, std::uint64_t e) {
        std::complex<double> s = 0;
        for (std::uint64_t i = b; i < e; ++i) {
            const std::complex<double> v = std::conj(std::complex<double>(psi[i ^ x])) * std::complex<double>(psi[i]);
            s += (std::popcount(i & z) & 1) ? -v : v;
        }
        return (phase * s).real();
    });
    return term.coeff * re;
}

template <Precision T>
double expectation(const StateVector<T>& state, const PauliSum& observable) {
    double total = 0;
    for (const PauliTerm& t : observable.terms()) total += expectation(state, t);
    return total;
}

template double expectation(const StateVector<float>&, const PauliTerm&);
template double expectation(const StateVector<double>&, const PauliTerm&);
template double expectation(const StateVector<float>&, const PauliSum&);
template double expectation(const StateVector<double>&, const PauliSum&);

}  // namespace kettle
