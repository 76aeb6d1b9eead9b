#pragma once
// Checking an error's code and its exact message text.

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "kettle/error.hpp"

namespace kettle::test {

/// Expects `f()` to throw kettle::Error with `code` and exactly `message`.
template <class F>
void expect_error(F&& f, ErrorCode code, const std::string& message) {
    try {
        f();
        ADD_FAILURE() << "no error; expected: " << message;
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), code) << e.what();
        EXPECT_EQ(std::string(e.what()), message);
    }
}

/// The same for ErrorCode::invalid_input, the code of nearly every validation rule.
template <class F>
void expect_invalid(F&& f, const std::string& message) {
    expect_error(std::forward<F>(f), ErrorCode::invalid_input, message);
}

}  // namespace kettle::test
