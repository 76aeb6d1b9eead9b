// save_dataset / load_dataset: kettle's own layout round trip, the plain layouts h5py writes
// (built here with the HDF5 C API, as h5py would lay them out), and every bad-file case.

#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <hdf5.h>
#include <limits>
#include <string>
#include <unistd.h>
#include <vector>

#include "support/file_bytes.hpp"
#include "kettle/dataset_io.hpp"
#include "kettle/error.hpp"
#include "kettle/version.hpp"

namespace kettle {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;

class DatasetHdf5 : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("kettle_test_dataset_hdf5_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path file(const std::string& name) const { return dir_ / name; }

    fs::path dir_;
};

/// Writes an HDF5 file the way h5py lays numpy arrays out: row-major datasets at the root.
class RawFile {
public:
    /// `create`: the file creation property list (H5P_DEFAULT, or one that sets other sizes).
    explicit RawFile(const fs::path& path, hid_t create = H5P_DEFAULT)
        : id_(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, create, H5P_DEFAULT)) {
        EXPECT_GE(id_, 0);
    }
    ~RawFile() { H5Fclose(id_); }
    RawFile(const RawFile&) = delete;
    RawFile& operator=(const RawFile&) = delete;

    void numbers(const char* name, hid_t file_type, hid_t memory_type, std::vector<hsize_t> dims, const void* data) {
        const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
        const hid_t set = H5Dcreate2(id_, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        EXPECT_GE(H5Dwrite(set, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), 0);
        H5Dclose(set);
        H5Sclose(space);
    }
    void doubles(const char* name, std::vector<hsize_t> dims, const std::vector<double>& v) {
        numbers(name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, std::move(dims), v.data());
    }
    void floats(const char* name, std::vector<hsize_t> dims, const std::vector<float>& v) {
        numbers(name, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, std::move(dims), v.data());
    }
    void ints(const char* name, std::vector<hsize_t> dims, const std::vector<long long>& v) {
        numbers(name, H5T_STD_I64LE, H5T_NATIVE_LLONG, std::move(dims), v.data());
    }
    /// numpy's bytes arrays ('S' dtype): fixed-length, NUL-padded ASCII.
    void fixed_strings(const char* name, const std::vector<std::string>& v, bool attribute = false) {
        std::size_t width = 1;
        for (const auto& s : v) width = std::max(width, s.size());
        std::string buffer(v.size() * width, '\0');
        for (std::size_t i = 0; i < v.size(); ++i) std::memcpy(buffer.data() + i * width, v[i].data(), v[i].size());
        const hid_t type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, width);
        H5Tset_strpad(type, H5T_STR_NULLPAD);
        write_strings(name, type, buffer.data(), v.size(), attribute);
        H5Tclose(type);
    }
    /// h5py's str data: variable-length UTF-8.
    void vlen_strings(const char* name, const std::vector<std::string>& v, bool attribute = false) {
        std::vector<const char*> p;
        for (const auto& s : v) p.push_back(s.c_str());
        const hid_t type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, H5T_VARIABLE);
        H5Tset_cset(type, H5T_CSET_UTF8);
        write_strings(name, type, p.data(), v.size(), attribute);
        H5Tclose(type);
    }
    void int_attribute(const char* name, long long value) {
        const hid_t space = H5Screate(H5S_SCALAR);
        const hid_t a = H5Acreate2(id_, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a, H5T_NATIVE_LLONG, &value);
        H5Aclose(a);
        H5Sclose(space);
    }
    void group(const char* name) { H5Gclose(H5Gcreate2(id_, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)); }
    /// A chunked dataset of `dims` with no chunk written: it reads as its fill value, from a tiny file.
    void unwritten(const char* name, std::vector<hsize_t> dims) {
        const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
        const hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
        const hsize_t chunk[2] = {1024, 1};
        H5Pset_chunk(plist, 2, chunk);
        const hid_t set = H5Dcreate2(id_, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, plist, H5P_DEFAULT);
        EXPECT_GE(set, 0);
        H5Dclose(set);
        H5Pclose(plist);
        H5Sclose(space);
    }

private:
    void write_strings(const char* name, hid_t type, const void* data, std::size_t n, bool attribute) {
        const hsize_t dims[1] = {n};
        const hid_t space = H5Screate_simple(1, dims, nullptr);
        if (attribute) {
            const hid_t a = H5Acreate2(id_, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
            EXPECT_GE(H5Awrite(a, type, data), 0);
            H5Aclose(a);
        } else {
            const hid_t set = H5Dcreate2(id_, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            EXPECT_GE(H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), 0);
            H5Dclose(set);
        }
        H5Sclose(space);
    }
    hid_t id_;
};

Dataset small_dataset() {
    Dataset d;
    d.x.resize(5, 3);
    d.x << 1.5, -2, 0.25, 3, 4, 5, -6, 7e-300, 8, 9, 10, 11, 1e300, -0.0, 12;
    d.y = {0, 2, 1, 2, 0};
    d.class_names = {"setosa", "versicolor", "virginica"};
    d.feature_names = {"sepal length", "sépale", "x,y"};
    return d;
}

/// h5py-style features: 4 rows x 2 columns, row-major.
const std::vector<double> kX = {1, 2, 3, 4, 5, 6, 7, 8};

/// The message load_dataset throws for `path`, or a failure if it does not throw Error(invalid_input).
std::string load_error(const fs::path& path) {
    try {
        (void)load_dataset(path);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        const std::string message = e.what();
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        EXPECT_THAT(message, HasSubstr(path.filename().string()));
        return message;
    }
    ADD_FAILURE() << "load_dataset accepted " << path;
    return {};
}

TEST_F(DatasetHdf5, RoundTripIsExact) {
    const Dataset d = small_dataset();
    save_dataset(file("d.h5"), d);
    const Dataset back = load_dataset(file("d.h5"));
    EXPECT_EQ(back.x, d.x);
    EXPECT_TRUE(std::signbit(back.x(4, 1)));
    EXPECT_EQ(back.y, d.y);
    EXPECT_EQ(back.class_names, d.class_names);
    EXPECT_EQ(back.feature_names, d.feature_names);
    // Only the file itself is left: the temporary file of the atomic save is gone.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(DatasetHdf5, FileCarriesVersionsAndNumpyOrder) {
    save_dataset(file("d.h5"), small_dataset());
    const hid_t f = H5Fopen(file("d.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    long long format = 0;
    const hid_t a = H5Aopen(f, "format_version", H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_LLONG, &format);
    H5Aclose(a);
    EXPECT_EQ(format, 1);
    EXPECT_GT(H5Aexists(f, "kettle_version"), 0);
    EXPECT_GT(H5Aexists(f, "kind"), 0);
    // Row-major on disk: the second value is row 0, column 1.
    std::vector<double> raw(15);
    const hid_t set = H5Dopen2(f, "features", H5P_DEFAULT);
    H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
    H5Dclose(set);
    H5Fclose(f);
    EXPECT_EQ(raw[1], -2);
}

// No modification times in the file (HDF5 stamps objects by default): a second later, the same
// data set saves to the same bytes.
TEST_F(DatasetHdf5, SavesOfTheSameDataSetAreTheSameBytes) {
    save_dataset(file("first.h5"), small_dataset());
    ::usleep(1'100'000);
    save_dataset(file("second.h5"), small_dataset());
    EXPECT_EQ(test::file_bytes(file("first.h5")), test::file_bytes(file("second.h5")));
}

TEST_F(DatasetHdf5, SaveReplacesAnExistingFile) {
    Dataset d = small_dataset();
    save_dataset(file("d.h5"), d);
    d.x(0, 0) = 42;
    save_dataset(file("d.h5"), d);
    EXPECT_EQ(load_dataset(file("d.h5")).x(0, 0), 42);
}

TEST_F(DatasetHdf5, H5pyIntegerLabelsAreClassValues) {
    {
        RawFile f(file("h5py.h5"));
        f.floats("X", {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
        f.ints("y", {4}, {10, 2, 2, 10});
    }
    const Dataset d = load_dataset(file("h5py.h5"));
    EXPECT_EQ(d.num_samples(), 4u);
    EXPECT_EQ(d.x(1, 0), 3);  // row-major on disk
    EXPECT_EQ(d.x(1, 1), 4);
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"2", "10"}));  // numeric order
    EXPECT_EQ(d.y, (std::vector<std::size_t>{1, 0, 0, 1}));
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"x0", "x1"}));
}

TEST_F(DatasetHdf5, H5pyBytesLabelsSortByBytes) {
    {
        RawFile f(file("bytes.h5"));
        f.doubles("X", {4, 2}, kX);
        f.fixed_strings("y", {"dog", "cat", "dog", "ant"});
        f.vlen_strings("feature_names", {"height", "weight"});
    }
    const Dataset d = load_dataset(file("bytes.h5"));
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"ant", "cat", "dog"}));
    EXPECT_EQ(d.y, (std::vector<std::size_t>{2, 1, 2, 0}));
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"height", "weight"}));
}

TEST_F(DatasetHdf5, NumericTextLabelsSortNumerically) {
    {
        RawFile f(file("text.h5"));
        f.doubles("features", {4, 2}, kX);
        f.vlen_strings("labels", {"10", "9", "9", "10"});
    }
    EXPECT_EQ(load_dataset(file("text.h5")).class_names, (std::vector<std::string>{"9", "10"}));
}

TEST_F(DatasetHdf5, ClassNamesFixTheOrder) {
    {
        RawFile f(file("named.h5"));
        f.doubles("features", {4, 2}, kX);
        f.vlen_strings("labels", {"yes", "no", "no", "yes"});
        f.vlen_strings("class_names", {"yes", "no"});
    }
    const Dataset d = load_dataset(file("named.h5"));
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"yes", "no"}));
    EXPECT_EQ(d.y, (std::vector<std::size_t>{0, 1, 1, 0}));
}

TEST_F(DatasetHdf5, FilesWithFourByteAddressesLoad) {
    // Their global heap references are 12 bytes, not the 16 the reference check reads: it must
    // leave them to libhdf5, not call the file damaged.
    const hid_t create = H5Pcreate(H5P_FILE_CREATE);
    ASSERT_GE(H5Pset_sizes(create, 4, 8), 0);
    {
        RawFile f(file("small_offsets.h5"), create);
        f.doubles("features", {4, 2}, kX);
        f.vlen_strings("labels", {"yes", "no", "no", "yes"});
        f.vlen_strings("class_names", {"yes", "no"});
    }
    H5Pclose(create);
    const Dataset d = load_dataset(file("small_offsets.h5"));
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"yes", "no"}));
    EXPECT_EQ(d.y, (std::vector<std::size_t>{0, 1, 1, 0}));
}

TEST_F(DatasetHdf5, SklearnNamesIntegerFeaturesColumnLabelsAndAttributeNames) {
    {
        RawFile f(file("sk.h5"));
        f.ints("data", {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
        f.doubles("target", {4, 1}, {0, 1, 1, 0});  // floats with whole values, a column
        f.fixed_strings("class_names", {"benign", "malignant"}, true);
        f.vlen_strings("feature_names", {"a", "b"}, true);
    }
    const Dataset d = load_dataset(file("sk.h5"));
    EXPECT_EQ(d.x(3, 1), 8);
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"benign", "malignant"}));
    EXPECT_EQ(d.y, (std::vector<std::size_t>{0, 1, 1, 0}));
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a", "b"}));
}

TEST_F(DatasetHdf5, MissingNotHdf5AndTruncatedFiles) {
    EXPECT_THAT(load_error(file("none.h5")), HasSubstr("does not exist"));
    std::ofstream(file("text.h5")) << "a,b,label\n1,2,x\n";
    EXPECT_THAT(load_error(file("text.h5")), HasSubstr("not an HDF5 file"));
    save_dataset(file("whole.h5"), small_dataset());
    const std::string bytes = test::file_bytes(file("whole.h5"));
    for (const std::size_t keep : {bytes.size() / 2, bytes.size() - 100, std::size_t{600}}) {
        std::ofstream(file("cut.h5"), std::ios::binary).write(bytes.data(), std::streamsize(keep));
        (void)load_error(file("cut.h5"));
    }
}

TEST_F(DatasetHdf5, MissingDatasetsAreNamed) {
    {
        RawFile f(file("nofeatures.h5"));
        f.ints("y", {4}, {0, 1, 0, 1});
        f.group("images");
    }
    EXPECT_THAT(load_error(file("nofeatures.h5")),
                AllOf(HasSubstr("no features dataset"), HasSubstr("'X'"), HasSubstr("images, y")));
    {
        RawFile f(file("nolabels.h5"));
        f.doubles("X", {4, 2}, kX);
    }
    EXPECT_THAT(load_error(file("nolabels.h5")), AllOf(HasSubstr("no labels dataset"), HasSubstr("'y'")));
    {
        RawFile f(file("group.h5"));
        f.group("X");
        f.ints("y", {4}, {0, 1, 0, 1});
    }
    EXPECT_THAT(load_error(file("group.h5")), HasSubstr("not a readable dataset"));
}

TEST_F(DatasetHdf5, WrongRanksAndTypes) {
    {
        RawFile f(file("flat.h5"));
        f.doubles("X", {8}, kX);
        f.ints("y", {8}, {0, 1, 0, 1, 0, 1, 0, 1});
    }
    EXPECT_THAT(load_error(file("flat.h5")), AllOf(HasSubstr("1 dimensions"), HasSubstr("2-D")));
    {
        RawFile f(file("cube.h5"));
        f.doubles("X", {2, 2, 2}, kX);
        f.ints("y", {2}, {0, 1});
    }
    EXPECT_THAT(load_error(file("cube.h5")), HasSubstr("3 dimensions"));
    {
        RawFile f(file("textx.h5"));
        f.fixed_strings("X", {"a", "b"});
        f.ints("y", {2}, {0, 1});
    }
    EXPECT_THAT(load_error(file("textx.h5")), HasSubstr("does not hold numbers"));
    {
        RawFile f(file("widey.h5"));
        f.doubles("X", {4, 2}, kX);
        f.ints("y", {4, 2}, {0, 1, 0, 1, 0, 1, 0, 1});
    }
    EXPECT_THAT(load_error(file("widey.h5")), AllOf(HasSubstr("labels dataset 'y'"), HasSubstr("1-D")));
}

TEST_F(DatasetHdf5, RowCountsMustMatch) {
    {
        RawFile f(file("rows.h5"));
        f.doubles("X", {4, 2}, kX);
        f.ints("y", {3}, {0, 1, 0});
    }
    EXPECT_THAT(load_error(file("rows.h5")), HasSubstr("4 rows of features but 3 labels"));
}

TEST_F(DatasetHdf5, NonFiniteFeaturesNameRowAndColumn) {
    std::vector<double> x = kX;
    x[5] = std::numeric_limits<double>::quiet_NaN();  // row 2, column 1
    {
        RawFile f(file("nan.h5"));
        f.doubles("X", {4, 2}, x);
        f.ints("y", {4}, {0, 1, 0, 1});
    }
    EXPECT_THAT(load_error(file("nan.h5")), AllOf(HasSubstr("NaN at features[2, 1]"), HasSubstr("row 2, column 1")));
    x[5] = 1;
    x[6] = -std::numeric_limits<double>::infinity();  // row 3, column 0
    {
        RawFile f(file("inf.h5"));
        f.doubles("X", {4, 2}, x);
        f.ints("y", {4}, {0, 1, 0, 1});
        f.vlen_strings("feature_names", {"width", "depth"});
    }
    EXPECT_THAT(load_error(file("inf.h5")), AllOf(HasSubstr("infinite value at features[3, 0]"), HasSubstr("'width'")));
}

TEST_F(DatasetHdf5, BadLabels) {
    auto with_labels = [&](const char* name, auto&& write_labels) {
        {
            RawFile f(file(name));
            f.doubles("X", {4, 2}, kX);
            write_labels(f);
        }
        return load_error(file(name));
    };
    EXPECT_THAT(with_labels("single.h5", [](RawFile& f) { f.ints("y", {4}, {3, 3, 3, 3}); }),
                AllOf(HasSubstr("single class"), HasSubstr("3")));
    EXPECT_THAT(with_labels("frac.h5", [](RawFile& f) { f.doubles("y", {4}, {0, 1, 0.5, 1}); }),
                AllOf(HasSubstr("0.5 at y[2]"), HasSubstr("whole numbers")));
    EXPECT_THAT(with_labels("empty.h5", [](RawFile& f) { f.vlen_strings("y", {"a", "", "b", "a"}); }),
                HasSubstr("empty label at y[1]"));
    EXPECT_THAT(with_labels("index.h5",
                            [](RawFile& f) {
                                f.ints("y", {4}, {0, 1, 2, 1});
                                f.vlen_strings("class_names", {"no", "yes"});
                            }),
                AllOf(HasSubstr("class index 2 at y[2]"), HasSubstr("valid 0..1")));
    EXPECT_THAT(with_labels("unknown.h5",
                            [](RawFile& f) {
                                f.vlen_strings("y", {"no", "yes", "maybe", "no"});
                                f.vlen_strings("class_names", {"no", "yes"});
                            }),
                AllOf(HasSubstr("\"maybe\" at y[2]"), HasSubstr("not in class_names")));
    EXPECT_THAT(with_labels("dupes.h5",
                            [](RawFile& f) {
                                f.ints("y", {4}, {0, 1, 0, 1});
                                f.vlen_strings("class_names", {"a", "a"});
                            }),
                HasSubstr("repeats a class name"));
    EXPECT_THAT(with_labels("names.h5",
                            [](RawFile& f) {
                                f.ints("y", {4}, {0, 1, 0, 1});
                                f.vlen_strings("feature_names", {"only one"});
                            }),
                HasSubstr("names 1 features for 2 feature columns"));
}

TEST_F(DatasetHdf5, OtherKettleFilesAndNewerFormats) {
    {
        RawFile f(file("model.h5"));
        f.doubles("X", {4, 2}, kX);
        f.ints("y", {4}, {0, 1, 0, 1});
        f.vlen_strings("kind", {"kettle-model"}, true);
    }
    EXPECT_THAT(load_error(file("model.h5")), AllOf(HasSubstr("kettle-model"), HasSubstr("not a data set")));
    {
        RawFile f(file("v2.h5"));
        f.doubles("X", {4, 2}, kX);
        f.ints("y", {4}, {0, 1, 0, 1});
        f.int_attribute("format_version", 2);
    }
    EXPECT_THAT(load_error(file("v2.h5")), HasSubstr("format_version 2"));
}

TEST_F(DatasetHdf5, HugeClaimsOfATinyFileAreRefused) {
    {
        RawFile f(file("bomb.h5"));
        f.unwritten("X", {hsize_t{1} << 24, 64});  // 8 GiB of fill values in a file of about 2 KiB
        f.ints("y", {4}, {0, 1, 0, 1});
    }
    EXPECT_THAT(load_error(file("bomb.h5")), AllOf(HasSubstr("claims"), HasSubstr("compression bomb")));
}

TEST_F(DatasetHdf5, SaveRefusesWhatLoadWouldRefuse) {
    auto save_error = [&](const Dataset& d) {
        try {
            save_dataset(file("bad.h5"), d);
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::invalid_input);
            return std::string(e.what());
        }
        ADD_FAILURE() << "save_dataset accepted a bad data set";
        return std::string();
    };
    Dataset d = small_dataset();
    d.x(1, 2) = std::nan("");
    EXPECT_THAT(save_error(d), AllOf(HasSubstr("save_dataset"), HasSubstr("features[1, 2]")));
    d = small_dataset();
    d.y = {1, 1, 1, 1, 1};
    EXPECT_THAT(save_error(d), HasSubstr("single class (versicolor)"));
    d = small_dataset();
    d.y.pop_back();
    EXPECT_THAT(save_error(d), HasSubstr("5 rows of features but 4 labels"));
    EXPECT_FALSE(fs::exists(file("bad.h5")));
    EXPECT_THROW(save_dataset(dir_ / "no" / "such" / "folder.h5", small_dataset()), Error);
}

}  // namespace
}  // namespace kettle
