#pragma once
// Tokens of OpenQASM 2.0 and a hand-written lexer that produces them one at a time, so that a
// syntax error early in a huge file is reported without reading the rest.

#include <cstddef>
#include <string>
#include <string_view>

#include "kettle/error.hpp"

namespace kettle::qasm {

/// 1-based line and column (columns count characters, not bytes).
struct Location {
    unsigned line = 1;
    unsigned column = 1;
};

enum class TokenKind {
    end, identifier, integer, real, string,
    lparen, rparen, lbracket, rbracket, lbrace, rbrace,
    comma, semicolon, plus, minus, star, slash, caret, equals, arrow,
};

/// `text` views the source, which outlives every token; for strings it excludes the quotes.
struct Token {
    TokenKind kind = TokenKind::end;
    std::string_view text;
    Location where;
};

/// How a token reads in a message: `'h'`, `'['`, `"qelib1.inc"`, `end of file`.
[[nodiscard]] std::string describe(const Token& token);

/// Throws Error(code, "file:line:column: message").
[[noreturn]] void fail(std::string_view filename, Location where, std::string_view message,
                       ErrorCode code = ErrorCode::invalid_input);

class Lexer {
public:
    Lexer(std::string_view source, std::string_view filename);

    /// The next token; TokenKind::end (repeatedly) at the end of the source. Throws
    /// Error(invalid_input) for characters OpenQASM does not use and unterminated strings or
    /// comments.
    Token next();

    [[nodiscard]] std::string_view filename() const noexcept { return filename_; }

private:
    [[nodiscard]] char peek(std::size_t ahead = 0) const noexcept {
        return pos_ + ahead < source_.size() ? source_[pos_ + ahead] : '\0';
    }
    [[nodiscard]] bool at_end() const noexcept { return pos_ >= source_.size(); }
    void advance();
    void skip_space_and_comments();
    Token lex_number(Location start);

    std::string_view source_;
    std::string_view filename_;
    std::size_t pos_ = 0;
    Location here_;
};

}  // namespace kettle::qasm
