#include "qasm_lexer.hpp"

#include <fmt/format.h>

namespace kettle::qasm {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

std::string unexpected(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) return fmt::format("unexpected character '{}'", c);
    return fmt::format("unexpected byte 0x{:02x} (OpenQASM is ASCII outside comments)", byte);
}

}  // namespace

std::string describe(const Token& token) {
    switch (token.kind) {
        case TokenKind::end: return "end of file";
        case TokenKind::string: return fmt::format("\"{}\"", token.text);
        default: return fmt::format("'{}'", token.text);
    }
}

void fail(std::string_view filename, Location where, std::string_view message, ErrorCode code) {
    throw Error(code, fmt::format("{}:{}:{}: {}", filename, where.line, where.column, message));
}

Lexer::Lexer(std::string_view source, std::string_view filename) : source_(source), filename_(filename) {
    // A UTF-8 byte-order mark is not part of the program.
    if (source_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

void Lexer::advance() {
    const char c = source_[pos_++];
    if (c == '\n') {
        ++here_.line;
        here_.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++here_.column;  // UTF-8 continuation bytes belong to the character before them
    }
}

void Lexer::skip_space_and_comments() {
    while (!at_end()) {
        const char c = peek();
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            advance();
        } else if (c == '/' && peek(1) == '/') {
            while (!at_end() && peek() != '\n') advance();
        } else if (c == '/' && peek(1) == '*') {
            const Location start = here_;
            advance();
            advance();
            while (!(peek() == '*' && peek(1) == '/')) {
                if (at_end()) fail(filename_, start, "unterminated comment: '/*' has no closing '*/'");
                advance();
            }
            advance();
            advance();
        } else {
            return;
        }
    }
}

Token Lexer::lex_number(Location start) {
    const std::size_t begin = pos_;
    bool real = false;
    while (is_digit(peek())) advance();
    if (peek() == '.') {
        real = true;
        advance();
        while (is_digit(peek())) advance();
    }
    if (peek() == 'e' || peek() == 'E') {
        real = true;
        advance();
        if (peek() == '+' || peek() == '-') advance();
        if (!is_digit(peek()))
            fail(filename_, start,
                 fmt::format("malformed number '{}': the exponent needs digits", source_.substr(begin, pos_ - begin)));
        while (is_digit(peek())) advance();
    }
    return {real ? TokenKind::real : TokenKind::integer, source_.substr(begin, pos_ - begin), start};
}

Token Lexer::next() {
    skip_space_and_comments();
    const Location start = here_;
    if (at_end()) return {TokenKind::end, {}, start};
    const std::size_t begin = pos_;
    const char c = peek();
    if (is_ident_start(c)) {
        while (is_ident_char(peek())) advance();
        return {TokenKind::identifier, source_.substr(begin, pos_ - begin), start};
    }
    if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return lex_number(start);
    if (c == '"') {
        advance();
        while (peek() != '"') {
            if (at_end() || peek() == '\n') fail(filename_, start, "unterminated string: '\"' has no closing '\"'");
            advance();
        }
        advance();
        return {TokenKind::string, source_.substr(begin + 1, pos_ - begin - 2), start};
    }
    auto single = [&](TokenKind kind) {
        advance();
        return Token{kind, source_.substr(begin, 1), start};
    };
    switch (c) {
        case '(': return single(TokenKind::lparen);
        case ')': return single(TokenKind::rparen);
        case '[': return single(TokenKind::lbracket);
        case ']': return single(TokenKind::rbracket);
        case '{': return single(TokenKind::lbrace);
        case '}': return single(TokenKind::rbrace);
        case ',': return single(TokenKind::comma);
        case ';': return single(TokenKind::semicolon);
        case '+': return single(TokenKind::plus);
        case '*': return single(TokenKind::star);
        case '/': return single(TokenKind::slash);
        case '^': return single(TokenKind::caret);
        case '-':
            if (peek(1) == '>') {
                advance();
                advance();
                return {TokenKind::arrow, source_.substr(begin, 2), start};
            }
            return single(TokenKind::minus);
        case '=':
            if (peek(1) == '=') {
                advance();
                advance();
                return {TokenKind::equals, source_.substr(begin, 2), start};
            }
            fail(filename_, start, "unexpected '=': OpenQASM compares with '=='");
        default: break;
    }
    fail(filename_, start, unexpected(c));
}

}  // namespace kettle::qasm
