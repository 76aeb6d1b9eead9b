#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "kettle/builtin_datasets.hpp"
#include "kettle/csv.hpp"
#include "kettle/error.hpp"

namespace kettle {
namespace {

// Runs `f`, which must throw Error(invalid_input) whose message contains every one of `texts`.
void expect_invalid(const std::function<void()>& f, std::initializer_list<std::string> texts) {
    try {
        f();
        ADD_FAILURE() << "expected Error(invalid_input), nothing was thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input) << e.what();
        for (const auto& text : texts) EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

void expect_parse_error(const std::string& csv, std::initializer_list<std::string> texts, const CsvOptions& options = {}) {
    expect_invalid([&] { (void)parse_csv(csv, "t.csv", options); }, texts);
}

TEST(Csv, ReadsNamedLabelsInSortedOrder) {
    const Dataset d = parse_csv("a,b,species\n1,2,versicolor\n3,4.5,setosa\n-5e-1,+6,versicolor\n", "t.csv");
    ASSERT_EQ(d.num_samples(), 3u);
    ASSERT_EQ(d.num_features(), 2u);
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"setosa", "versicolor"}));
    EXPECT_EQ(d.y, (std::vector<std::size_t>{1, 0, 1}));
    EXPECT_DOUBLE_EQ(d.x(1, 1), 4.5);
    EXPECT_DOUBLE_EQ(d.x(2, 0), -0.5);
    EXPECT_DOUBLE_EQ(d.x(2, 1), 6.0);
}

TEST(Csv, NumericLabelsAreOrderedByValueAndNamedAsWritten) {
    const Dataset d = parse_csv("x,label\n1,10\n2,2\n3,10.0\n4,-1\n", "t.csv");
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"-1", "2", "10"}));
    EXPECT_EQ(d.y, (std::vector<std::size_t>{2, 1, 2, 0}));
}

TEST(Csv, LabelColumnChosenByNameAnywhere) {
    const Dataset d = parse_csv("label,f1,f2\nb,1,2\na,3,4\n", "t.csv", CsvOptions{.label = "label"});
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"f1", "f2"}));
    EXPECT_EQ(d.y, (std::vector<std::size_t>{1, 0}));
    EXPECT_DOUBLE_EQ(d.x(1, 0), 3.0);
    EXPECT_DOUBLE_EQ(d.x(1, 1), 4.0);
}

TEST(Csv, QuotesCrlfBomTrailingAndBlankLines) {
    const std::string text = "\xEF\xBB\xBF\"first, feature\",b,\"label\"\r\n"
                             "\"1.5\", 2 ,\"class \"\"A\"\"\"\r\n"
                             "\r\n"
                             "3,4,\"class\r\nB\"\r\n\r\n";
    const Dataset d = parse_csv(text, "t.csv");
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"first, feature", "b"}));
    // Byte order: '\r' sorts before ' '.
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"class\r\nB", "class \"A\""}));
    ASSERT_EQ(d.num_samples(), 2u);
    EXPECT_EQ(d.num_features(), 2u);
    EXPECT_DOUBLE_EQ(d.x(0, 0), 1.5);
    EXPECT_DOUBLE_EQ(d.x(0, 1), 2.0);
    EXPECT_DOUBLE_EQ(d.x(1, 0), 3.0);
    EXPECT_EQ(d.y, (std::vector<std::size_t>{1, 0}));
}

TEST(Csv, OtherDelimiterAndNoTrailingNewline) {
    CsvOptions semicolon;
    semicolon.delimiter = ';';
    const Dataset d = parse_csv("a;b;y\n1.5;2;p\n3;4;q", "t.csv", semicolon);
    ASSERT_EQ(d.num_samples(), 2u);
    EXPECT_EQ(d.feature_names.size(), 2u);
    EXPECT_DOUBLE_EQ(d.x(0, 0), 1.5);
    CsvOptions quote;
    quote.delimiter = '"';
    expect_invalid([&] { (void)parse_csv("a;b\n1;x\n", "t.csv", quote); }, {"delimiter"});
}

TEST(Csv, ErrorsNameFileLineAndColumn) {
    expect_parse_error("", {"t.csv:1:1:", "empty"});
    expect_parse_error("\n\r\n", {"t.csv:1:1:", "empty"});
    expect_parse_error("a,b,label\n", {"t.csv:1:1:", "header but no data rows"});
    expect_parse_error("label\n1\n2\n", {"t.csv:1:1:", "at least 2"});
    expect_parse_error("a,b,label\n1,2,x\n3,y\n", {"t.csv:3:3:", "2 fields, the header has 3"});
    expect_parse_error("a,b,label\n1,2,x\n3,4,y,5\n", {"t.csv:3:4:", "4 fields"});
    expect_parse_error("a,b,label\n1,2,x\n3,abc,y\n", {"t.csv:3:2:", "\"abc\"", "column 2 (b)", "not a number"});
    expect_parse_error("a,b,label\n1,2,x\n3,4.5.6,y\n", {"t.csv:3:2:", "not a number"});
    expect_parse_error("a,b,label\n1,2,x\n3,,y\n", {"t.csv:3:2:", "missing value (an empty field)", "column 2 (b)"});
    expect_parse_error("a,b,label\nNA,2,x\n3,4,y\n", {"t.csv:2:1:", "missing value (\"NA\")"});
    expect_parse_error("a,b,label\n1,nan,x\n3,4,y\n", {"t.csv:2:2:", "missing value (\"nan\")"});
    expect_parse_error("a,b,label\n1,?,x\n3,4,y\n", {"t.csv:2:2:", "missing value"});
    expect_parse_error("a,b,label\n1,2,\n3,4,y\n", {"t.csv:2:3:", "missing value", "column 3 (label)"});
    expect_parse_error("a,b,label\n1,inf,x\n3,4,y\n", {"t.csv:2:2:", "\"inf\"", "not a finite number"});
    expect_parse_error("a,b,label\n1,-1e999,x\n3,4,y\n", {"t.csv:2:2:", "not a finite number"});
    expect_parse_error("a,b,label\n1,2,x\n3,4,x\n", {"t.csv:1:3:", "single class (\"x\")"});
    expect_parse_error("a,b,label\n1,2,\"x\n3,4,y\n", {"t.csv:2:3:", "not closed"});
    expect_parse_error("a,b,label\n1,\"2\"z,x\n3,4,y\n", {"t.csv:2:2:", "after a closing quote"});
    expect_parse_error("a,b,c\n1,2,x\n3,4,y\n", {"t.csv:1:1:", "no label column named \"target\"", "columns: a, b, c"},
                       CsvOptions{.label = "target"});
    expect_parse_error("a,a,c\n1,2,x\n3,4,y\n", {"appears 2 times"}, CsvOptions{.label = "a"});
}

TEST(Csv, ErrorLineCountsLinesInsideQuotesAndBlankLines) {
    expect_parse_error("a,b,label\n1,2,\"two\nlines\"\n\n3,bad,y\n", {"t.csv:5:2:"});
}

TEST(Csv, TinyValuesUnderflowToNumbers) {
    const Dataset d = parse_csv("a,label\n1e-400,x\n1,y\n", "t.csv");
    EXPECT_EQ(d.x(0, 0), 0.0);
}

TEST(Csv, ReadsFilesAndReportsMissingOnes) {
    const auto path = std::filesystem::path(KETTLE_BINARY_DIR) / "test_classical_csv_tmp.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << "u,v,label\n0.5,1,yes\n2,3,no\n";
    }
    const Dataset d = read_csv(path);
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"no", "yes"}));
    std::filesystem::remove(path);
    expect_invalid([&] { (void)read_csv(path); }, {"cannot open", path.string()});
    {
        std::ofstream out(path, std::ios::binary);
        out << "u,v,label\n0.5,1,yes\n2,x,no\n";
    }
    expect_invalid([&] { (void)read_csv(path); }, {path.string() + ":3:2:"});
    std::filesystem::remove(path);
}

TEST(BuiltinDatasets, ShapesClassesAndFirstRows) {
    const Dataset iris = load_builtin_dataset("iris");
    EXPECT_EQ(iris.num_samples(), 150u);
    EXPECT_EQ(iris.num_features(), 4u);
    EXPECT_EQ(iris.class_names, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
    EXPECT_DOUBLE_EQ(iris.x(0, 0), 5.1);
    EXPECT_EQ(iris.y[0], 0u);

    const Dataset cancer = load_builtin_dataset("breast_cancer");
    EXPECT_EQ(cancer.num_samples(), 569u);
    EXPECT_EQ(cancer.num_features(), 30u);
    EXPECT_EQ(cancer.class_names, (std::vector<std::string>{"benign", "malignant"}));

    const Dataset digits = load_builtin_dataset("digits");
    EXPECT_EQ(digits.num_samples(), 1797u);
    EXPECT_EQ(digits.num_features(), 64u);
    ASSERT_EQ(digits.num_classes(), 10u);
    EXPECT_EQ(digits.class_names[9], "9");
    EXPECT_EQ(digits.feature_names[9], "pixel_1_1");
    EXPECT_GE(digits.x.minCoeff(), 0.0);
    EXPECT_LE(digits.x.maxCoeff(), 16.0);
}

TEST(BuiltinDatasets, UnknownNameListsTheValidOnes) {
    expect_invalid([] { (void)load_builtin_dataset("mnist"); }, {"\"mnist\"", "iris, breast_cancer, digits"});
    EXPECT_TRUE(std::filesystem::exists(builtin_data_dir() / "README.md"));
}

}  // namespace
}  // namespace kettle
