// Nothing is allocated per sample: a counting global operator new around repeated forward and
// backward passes, and loss-and-gradient calls of classifiers with each kind of encoding.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "kettle/classifier.hpp"
#include "kettle/encoding.hpp"
#include "kettle/gradient.hpp"
#include "kettle/loss.hpp"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace kettle {
namespace {

TEST(Allocation, CountingAllocatorSeesAllocations) {
    const long before = g_allocations.load();
    auto* v = new std::vector<double>(100);
    delete v;
    EXPECT_GE(g_allocations.load() - before, 2);
}

TEST(Allocation, AdjointForwardAndBackwardAllocateNothing) {
    Circuit c(6);
    (void)angle_encoding(c, RotationAxis::y);
    (void)hardware_efficient_ansatz(c, 3, Entangler::ring);
    c.cu3(0, 1, ParamExpr(c.parameter("a")), 0.3, ParamExpr(c.parameter("b"))).rzz(2, 4, ParamExpr(c.parameter("d")));
    AdjointDifferentiator<double> diff(c, {PauliSum::parse("Z0"), PauliSum::parse("0.5*X1 Y2 + Z3")});
    std::vector<double> params(c.num_parameters(), 0.4), values(2), gradient(c.num_parameters());
    const std::vector<double> cotangent{1.0, -0.5};
    diff.forward(params, values);
    diff.backward(cotangent, gradient);
    const long before = g_allocations.load();
    for (int i = 0; i < 50; ++i) {
        params[i % params.size()] += 0.01;
        diff.forward(params, values);
        diff.backward(cotangent, gradient);
    }
    EXPECT_EQ(g_allocations.load() - before, 0);
}

TEST(Allocation, ClassifierLossAndGradientAllocatesNothing) {
    CrossEntropy loss;
    for (EncodingKind enc : {EncodingKind::reupload, EncodingKind::zz, EncodingKind::amplitude}) {
        ClassifierOptions o;
        o.num_qubits = 4;
        o.num_classes = 3;
        o.encoding = enc;
        o.ansatz = AnsatzKind::strongly_entangling;
        const std::size_t f = enc == EncodingKind::amplitude ? 11 : 4;
        VariationalClassifier model = make_classifier(f, o);
        model.initialize(1);
        VariationalClassifier::Workspace ws(model);
        std::vector<double> x(f, 0.3), gw(model.num_trainable()), gx(f), scores(model.num_scores());
        (void)model.loss_and_gradient(ws, x, 0, loss, gw, gx);
        const long before = g_allocations.load();
        for (int i = 0; i < 50; ++i) {
            x[i % f] += 0.1;
            (void)model.loss_and_gradient(ws, x, std::size_t(i % 3), loss, gw, gx);
            model.scores(ws, x, scores);
        }
        EXPECT_EQ(g_allocations.load() - before, 0) << "encoding " << int(enc);
    }
}

}  // namespace
}  // namespace kettle
