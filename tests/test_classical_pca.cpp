#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>

#include "kettle/builtin_datasets.hpp"
#include "kettle/error.hpp"
#include "kettle/pca.hpp"

namespace kettle {
namespace {

void expect_invalid(const std::function<void()>& f, const std::string& text) {
    try {
        f();
        ADD_FAILURE() << "expected Error(invalid_input) containing \"" << text << "\", nothing was thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input) << e.what();
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

// Correlated data: 200 samples of 5 features from a fixed linear mix of independent values.
FeatureMatrix correlated() {
    std::mt19937_64 rng(4);
    FeatureMatrix z(200, 5);
    for (Eigen::Index r = 0; r < z.rows(); ++r)
        for (Eigen::Index c = 0; c < z.cols(); ++c) z(r, c) = static_cast<double>(rng() % 1000) / 100.0 * (5 - c);
    Eigen::MatrixXd mix(5, 5);
    mix << 1, 0.5, 0, 0, 0.2, 0, 1, 0.3, 0, 0, 0.1, 0, 1, 0.4, 0, 0, 0, 0.2, 1, 0.1, 0.3, 0, 0, 0, 1;
    return (z * mix).rowwise() + Eigen::RowVectorXd::LinSpaced(5, -3, 7);
}

TEST(Pca, AgreesWithTheSvdOfTheCentredData) {
    const FeatureMatrix x = correlated();
    PCA pca(5);
    pca.fit(x);
    const Eigen::MatrixXd centred = x.rowwise() - x.colwise().mean();
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinV);
    const Eigen::VectorXd variance = svd.singularValues().array().square() / static_cast<double>(x.rows() - 1);
    ASSERT_EQ(pca.num_components(), 5u);
    for (Eigen::Index i = 0; i < 5; ++i) {
        EXPECT_NEAR(pca.explained_variance()(i), variance(i), 1e-9 * variance(0));
        // Same direction up to sign.
        EXPECT_NEAR(std::abs(pca.components().row(i).dot(svd.matrixV().col(i))), 1.0, 1e-9);
    }
    EXPECT_NEAR(pca.explained_variance_ratio().sum(), 1.0, 1e-12);
    EXPECT_TRUE((pca.components() * pca.components().transpose()).isIdentity(1e-12));
}

TEST(Pca, SignsAreNormalisedAndTheProjectionIsDecorrelated) {
    PCA pca(3);
    const FeatureMatrix z = pca.fit_transform(correlated());
    ASSERT_EQ(z.cols(), 3);
    for (Eigen::Index i = 0; i < 3; ++i) {
        Eigen::Index largest;
        pca.components().row(i).cwiseAbs().maxCoeff(&largest);
        EXPECT_GT(pca.components()(i, largest), 0.0);
    }
    const Eigen::MatrixXd cov = (z.transpose() * z) / static_cast<double>(z.rows() - 1);
    EXPECT_TRUE(cov.diagonal().isApprox(pca.explained_variance(), 1e-9));
    EXPECT_NEAR(cov(0, 1), 0.0, 1e-9 * cov(0, 0));
    EXPECT_NEAR(cov(1, 2), 0.0, 1e-9 * cov(0, 0));
    EXPECT_NEAR(z.col(0).mean(), 0.0, 1e-9);
}

TEST(Pca, FlippingTheInputSignKeepsComponentsAndMirrorsTheProjection) {
    const FeatureMatrix x = correlated();
    PCA a(2), b(2);
    const FeatureMatrix za = a.fit_transform(x), zb = b.fit_transform(-x);
    EXPECT_TRUE(a.components().isApprox(b.components(), 1e-9));
    EXPECT_TRUE(za.isApprox(-zb, 1e-9));
}

TEST(Pca, FullPcaRoundTripsAndTruncatedIsAProjection) {
    const FeatureMatrix x = correlated();
    PCA full(10);  // more than the 5 features: keeps 5
    full.fit(x);
    EXPECT_EQ(full.num_components(), 5u);
    EXPECT_TRUE(full.inverse_transform(full.transform(x)).isApprox(x, 1e-10));
    PCA two(2);
    two.fit(x);
    const FeatureMatrix back = two.inverse_transform(two.transform(x));
    // Projecting again changes nothing.
    EXPECT_TRUE(two.inverse_transform(two.transform(back)).isApprox(back, 1e-10));
    // The lost variance is what the dropped components explain.
    const double lost = (x - back).squaredNorm() / static_cast<double>(x.rows() - 1);
    EXPECT_NEAR(lost, full.explained_variance().tail(3).sum(), 1e-8 * full.explained_variance().sum());
}

TEST(Pca, FewerRowsThanFeaturesLimitsTheComponents) {
    FeatureMatrix x(3, 6);
    x << 1, 2, 3, 4, 5, 6, 2, 1, 0, 1, 2, 3, 0, 0, 1, 5, 5, 5;
    PCA pca(8);
    pca.fit(x);
    EXPECT_EQ(pca.num_components(), 3u);
    EXPECT_NEAR(pca.explained_variance()(2), 0.0, 1e-12);  // 3 centred points span 2 dimensions
}

TEST(Pca, IrisExplainedVarianceMatchesThePublishedValues) {
    // scikit-learn's PCA on the iris features gives these ratios (e.g. its user guide example).
    PCA pca(4);
    pca.fit(load_builtin_dataset("iris").x);
    const double expected[4] = {0.92461872, 0.05306648, 0.01710261, 0.00521218};
    for (Eigen::Index i = 0; i < 4; ++i) EXPECT_NEAR(pca.explained_variance_ratio()(i), expected[i], 1e-7);
}

TEST(Pca, Validation) {
    expect_invalid([] { PCA bad(0); }, "PCA: max_components is 0");
    PCA pca(2);
    expect_invalid([&] { (void)pca.transform(FeatureMatrix::Zero(2, 3)); }, "PCA::transform: the PCA is not fitted");
    expect_invalid([&] { pca.fit(FeatureMatrix::Zero(1, 3)); }, "the data is 1x3; at least 2 rows");
    FeatureMatrix nan = FeatureMatrix::Zero(3, 2);
    nan(1, 1) = std::nan("");
    expect_invalid([&] { pca.fit(nan); }, "NaN or infinite");
    pca.fit(correlated());
    expect_invalid([&] { (void)pca.transform(FeatureMatrix::Zero(2, 3)); }, "the data has 3 columns, expected 5");
    expect_invalid([&] { (void)pca.inverse_transform(FeatureMatrix::Zero(2, 3)); }, "3 columns, expected 2");
    // Constant data: no variance anywhere, ratios 0 rather than NaN.
    PCA flat(2);
    flat.fit(FeatureMatrix::Constant(4, 3, 2.0));
    EXPECT_TRUE(flat.explained_variance_ratio().isZero());
}

}  // namespace
}  // namespace kettle
