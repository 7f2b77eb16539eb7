//! A recursive-descent parser from tokens to [`Expr`].
//!
//! ```text
//! expr    := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" expr ")" | predicate
//! ```
//! Predicates are parsed by the function registered for their head word in `predicates/`.

use super::ast::Expr;
use super::error::SegmentError;
use super::lexer::{tokenize, Span, Tok, Token};
use super::predicate::{Cmp, Lit};
use super::predicates::parse_predicate;

/// Longest accepted expression, in bytes.
pub const MAX_EXPRESSION_LEN: usize = 65_536;
/// Deepest accepted nesting of parentheses and `not`.
const MAX_DEPTH: usize = 200;

/// Parses a whole expression.
pub(crate) fn parse(text: &str) -> Result<Expr, SegmentError> {
    if text.len() > MAX_EXPRESSION_LEN {
        let span = Span {
            line: 1,
            column: 1,
            start: 0,
            end: 0,
        };
        return Err(SegmentError::syntax(
            span,
            format!("expression is longer than {MAX_EXPRESSION_LEN} bytes"),
        ));
    }
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.or()?;
    match parser.peek() {
        Token { tok: Tok::End, .. } => Ok(expr),
        t => Err(SegmentError::syntax(
            t.span,
            format!("expected 'and', 'or' or the end, found {}", t.tok),
        )),
    }
}

/// The parser's cursor over the tokens; predicate parsers use its helpers.
pub(crate) struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    /// The next token, not consumed.
    pub fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if token.tok != Tok::End {
            self.pos += 1;
        }
        token
    }

    /// An error at the next token.
    pub fn error(&self, message: impl Into<String>) -> SegmentError {
        SegmentError::syntax(self.peek().span, message)
    }

    fn unexpected(&self, wanted: &str) -> SegmentError {
        self.error(format!("expected {wanted}, found {}", self.peek().tok))
    }

    /// True when the next token is the keyword `kw` (any case).
    pub fn at_keyword(&self, kw: &str) -> bool {
        matches!(&self.peek().tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    /// Consumes the keyword `kw` if it is next.
    pub fn eat_keyword(&mut self, kw: &str) -> bool {
        let hit = self.at_keyword(kw);
        if hit {
            self.advance();
        }
        hit
    }

    /// Consumes the keyword `kw` or fails.
    pub fn keyword(&mut self, kw: &str) -> Result<(), SegmentError> {
        if self.eat_keyword(kw) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("'{kw}'")))
        }
    }

    /// Consumes the symbol `sym` if it is next.
    pub fn eat_symbol(&mut self, sym: &str) -> bool {
        let hit = matches!(self.peek().tok, Tok::Sym(s) if s == sym);
        if hit {
            self.advance();
        }
        hit
    }

    /// Consumes the symbol `sym` or fails.
    pub fn symbol(&mut self, sym: &str) -> Result<(), SegmentError> {
        if self.eat_symbol(sym) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("'{sym}'")))
        }
    }

    /// A word (case kept), or fails naming `what`.
    pub fn word(&mut self, what: &str) -> Result<String, SegmentError> {
        match &self.peek().tok {
            Tok::Word(w) => {
                let w = w.clone();
                self.advance();
                Ok(w)
            }
            _ => Err(self.unexpected(what)),
        }
    }

    /// A name: a quoted string, or words joined by `:` with no spaces (`interest:travel`).
    pub fn name(&mut self, what: &str) -> Result<String, SegmentError> {
        if let Tok::Str(s) = &self.peek().tok {
            let s = s.clone();
            self.advance();
            if s.is_empty() {
                return Err(SegmentError::syntax(
                    self.tokens[self.pos - 1].span,
                    format!("{what} must not be empty"),
                ));
            }
            return Ok(s);
        }
        let mut name = self.word(what)?;
        while self.peek().tok == Tok::Sym(":") && self.touches_previous() && self.next_touches() {
            self.advance();
            name.push(':');
            name.push_str(&self.word(what)?);
        }
        Ok(name)
    }

    fn touches_previous(&self) -> bool {
        self.pos > 0 && self.tokens[self.pos - 1].span.end == self.peek().span.start
    }

    fn next_touches(&self) -> bool {
        self.tokens.get(self.pos + 1).is_some_and(|next| {
            next.span.start == self.peek().span.end && matches!(next.tok, Tok::Word(_))
        })
    }

    /// A literal: string, number (optionally negative), `true` or `false`.
    pub fn literal(&mut self) -> Result<Lit, SegmentError> {
        let negative = self.eat_symbol("-");
        let lit = match &self.peek().tok {
            Tok::Num(n) => Lit::Num(if negative { -n } else { *n }),
            Tok::Str(s) if !negative => Lit::string(s.clone()),
            Tok::Word(w) if !negative && w.eq_ignore_ascii_case("true") => Lit::Bool(true),
            Tok::Word(w) if !negative && w.eq_ignore_ascii_case("false") => Lit::Bool(false),
            _ => return Err(self.unexpected("a string, a number, true or false")),
        };
        self.advance();
        Ok(lit)
    }

    /// A number literal (optionally negative).
    pub fn number(&mut self) -> Result<f64, SegmentError> {
        match self.literal()? {
            Lit::Num(n) => Ok(n),
            other => Err(SegmentError::syntax(
                self.tokens[self.pos - 1].span,
                format!("expected a number, found {}", other.type_name()),
            )),
        }
    }

    /// A duration such as `30d`, in microseconds.
    pub fn duration(&mut self) -> Result<i64, SegmentError> {
        match self.peek().tok {
            Tok::Duration(d) => {
                self.advance();
                Ok(d)
            }
            _ => Err(self.unexpected("a duration such as 30d, 12h or 2w")),
        }
    }

    /// A comparison operator.
    pub fn cmp(&mut self) -> Result<Cmp, SegmentError> {
        match &self.peek().tok {
            Tok::Sym(s) => match Cmp::from_symbol(s) {
                Some(c) => {
                    self.advance();
                    Ok(c)
                }
                None => Err(self.unexpected("a comparison (=, !=, <, <=, >, >=)")),
            },
            _ => Err(self.unexpected("a comparison (=, !=, <, <=, >, >=)")),
        }
    }

    /// A string literal.
    pub fn string(&mut self, what: &str) -> Result<(String, Span), SegmentError> {
        match &self.peek().tok {
            Tok::Str(s) => {
                let s = s.clone();
                Ok((s, self.advance().span))
            }
            _ => Err(self.unexpected(what)),
        }
    }

    /// A whole nested expression, for predicates that take one (`referred_by(...)`).
    pub fn expression(&mut self) -> Result<Expr, SegmentError> {
        self.or()
    }

    fn or(&mut self) -> Result<Expr, SegmentError> {
        let mut left = self.and()?;
        while self.eat_keyword("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, SegmentError> {
        let mut left = self.unary()?;
        while self.eat_keyword("and") {
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, SegmentError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("expression nests deeper than {MAX_DEPTH} levels")));
        }
        let expr = if self.eat_keyword("not") {
            Expr::Not(Box::new(self.unary()?))
        } else if self.eat_symbol("(") {
            let inner = self.or()?;
            self.symbol(")")?;
            inner
        } else {
            let span = self.peek().span;
            let head = self.word("a predicate such as tag:vip or attr.age >= 30")?;
            Expr::Pred(parse_predicate(&head, self, span)?, span)
        };
        self.depth -= 1;
        Ok(expr)
    }
}
