// allocate_large (simulator/large_allocation.hpp): states of 2 MiB and more start on a huge
// page and, where the kernel offers transparent huge pages, get them.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "kettle/state_vector.hpp"
#include "large_allocation.hpp"

namespace kettle::detail {
namespace {

struct Free {
    void operator()(void* p) const noexcept { std::free(p); }
};

std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

/// The selected word of a /sys/kernel/mm/transparent_hugepage setting ("[madvise]" -> "madvise"),
/// empty where the file is missing.
std::string thp_setting(const char* name) {
    std::ifstream in(std::string("/sys/kernel/mm/transparent_hugepage/") + name);
    std::string text;
    std::getline(in, text);
    const auto open = text.find('['), close = text.find(']');
    return open == std::string::npos || close == std::string::npos ? "" : text.substr(open + 1, close - open - 1);
}

/// Kilobytes of the mapping holding `p` that sit on huge pages (/proc/self/smaps), or -1.
long huge_kib_at(const void* p) {
    std::ifstream in("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        std::uintptr_t lo = 0, hi = 0;
        char dash = 0;
        std::istringstream head(line);
        if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
            inside = lo <= address(p) && address(p) < hi;
            continue;
        }
        if (inside && line.rfind("AnonHugePages:", 0) == 0) return std::stol(line.substr(14));
    }
    return -1;
}

TEST(LargeAllocation, SmallBuffersStartOnALine) {
    for (std::size_t bytes : {64u, 128u, 4096u, 1u << 20}) {
        std::unique_ptr<void, Free> p(allocate_large(bytes));
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(address(p.get()) % 64, 0u) << bytes;
        std::memset(p.get(), 0x5a, bytes);  // all of it is ours
    }
}

TEST(LargeAllocation, LargeBuffersStartOnAHugePage) {
    for (std::size_t bytes : {kHugePageBytes, kHugePageBytes + 64, 3 * kHugePageBytes}) {
        std::unique_ptr<void, Free> p(allocate_large(bytes));
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(address(p.get()) % kHugePageBytes, 0u) << bytes;
        std::memset(p.get(), 0x5a, bytes);
    }
    StateVector<double> s(18);  // 4 MiB
    EXPECT_EQ(address(s.data()) % kHugePageBytes, 0u);
    EXPECT_EQ(s.data()[0], std::complex<double>(1.0));
}

TEST(LargeAllocation, StatesGetHugePagesWhereTheKernelOffersThem) {
    // Huge pages at the first touch need them on for madvised memory and, on a fragmented
    // host, compaction at fault time ("defer" and "never" leave it to khugepaged, later).
    const std::string enabled = thp_setting("enabled"), defrag = thp_setting("defrag");
    if ((enabled != "always" && enabled != "madvise") ||
        (defrag != "always" && defrag != "madvise" && defrag != "defer+madvise"))
        GTEST_SKIP() << "transparent huge pages are '" << enabled << "' (defrag '" << defrag << "') here";
    // 64 MiB: above glibc's largest mmap threshold (32 MiB), so fresh pages from mmap rather
    // than heap pages an earlier free may have left touched; written by the constructor.
    StateVector<double> s(22);
    const long kib = huge_kib_at(s.data());
    ASSERT_GE(kib, 0) << "no mapping in /proc/self/smaps holds the state";
    EXPECT_GT(kib, 0) << "the state sits on 4 KiB pages although huge pages are '" << enabled << "'";
}

}  // namespace
}  // namespace kettle::detail
