//! Tokens of the segment language, each with the line and column where it starts.

use std::fmt;

use super::error::SegmentError;

/// Where a token starts: 1-based line and column (in characters), and byte offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// A word: keyword, predicate head, attribute key or bare name.
    Word(String),
    /// A double-quoted string with escapes resolved.
    Str(String),
    /// A number.
    Num(f64),
    /// A duration such as `30d`, in microseconds.
    Duration(i64),
    /// Punctuation and comparison operators.
    Sym(&'static str),
    /// End of input.
    End,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Word(w) => write!(f, "'{w}'"),
            Tok::Str(s) => write!(f, "string {s:?}"),
            Tok::Num(n) => write!(f, "number {n}"),
            Tok::Duration(_) => write!(f, "a duration"),
            Tok::Sym(s) => write!(f, "'{s}'"),
            Tok::End => write!(f, "end of input"),
        }
    }
}

/// A token and where it is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

const SYMBOLS: [&str; 13] = [
    "<=", ">=", "!=", "==", "(", ")", ",", ":", ".", "=", "<", ">", "-",
];

const MICROS_PER_HOUR: i64 = 3_600_000_000;

/// Splits `text` into tokens, ending with [`Tok::End`].
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, SegmentError> {
    let mut lexer = Lexer {
        text,
        pos: 0,
        line: 1,
        column: 1,
    };
    let mut tokens = Vec::new();
    loop {
        lexer.skip_space();
        let start = lexer.here();
        let Some(c) = lexer.peek() else {
            tokens.push(Token {
                tok: Tok::End,
                span: lexer.span(start),
            });
            return Ok(tokens);
        };
        let tok = if c == '"' {
            Tok::Str(lexer.string(start)?)
        } else if c.is_ascii_digit() {
            lexer.number(start)?
        } else if c.is_alphabetic() || c == '_' {
            Tok::Word(
                lexer
                    .take_while(|c| c.is_alphanumeric() || c == '_')
                    .to_string(),
            )
        } else if let Some(sym) = SYMBOLS.iter().find(|s| lexer.rest().starts_with(**s)) {
            sym.chars().for_each(|_| {
                lexer.bump();
            });
            Tok::Sym(sym)
        } else {
            return Err(SegmentError::syntax(
                lexer.span(start),
                format!("unexpected character {c:?}"),
            ));
        };
        tokens.push(Token {
            tok,
            span: lexer.span(start),
        });
    }
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
    column: u32,
}

/// Position before a token, to build its span.
#[derive(Clone, Copy)]
struct Mark {
    pos: usize,
    line: u32,
    column: u32,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn here(&self) -> Mark {
        Mark {
            pos: self.pos,
            line: self.line,
            column: self.column,
        }
    }

    fn span(&self, start: Mark) -> Span {
        Span {
            line: start.line,
            column: start.column,
            start: start.pos,
            end: self.pos,
        }
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let from = self.pos;
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
        &self.text[from..self.pos]
    }

    fn string(&mut self, start: Mark) -> Result<String, SegmentError> {
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(SegmentError::syntax(
                        self.span(start),
                        "unterminated string",
                    ))
                }
                Some('"') => return Ok(out),
                Some('\\') => match self.bump() {
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    other => {
                        let what = other.map_or("end of input".to_string(), |c| format!("{c:?}"));
                        return Err(SegmentError::syntax(
                            self.span(start),
                            format!("unknown escape \\{what} in string"),
                        ));
                    }
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn number(&mut self, start: Mark) -> Result<Tok, SegmentError> {
        let digits = self.take_while(|c| c.is_ascii_digit() || c == '.' || c == '_');
        let unit = self.take_while(|c| c.is_alphabetic());
        let clean = digits.replace('_', "");
        let bad = |what: String| SegmentError::syntax(self.span(start), what);
        let value: f64 = clean
            .parse()
            .map_err(|_| bad(format!("{digits:?} is not a number")))?;
        if unit.is_empty() {
            return Ok(Tok::Num(value));
        }
        let hours = match unit.to_ascii_lowercase().as_str() {
            "h" => 1,
            "d" => 24,
            "w" => 24 * 7,
            _ => {
                return Err(bad(format!(
                    "unknown duration unit {unit:?}; use h, d or w"
                )))
            }
        };
        let micros = (value * (hours * MICROS_PER_HOUR) as f64).round();
        if clean.contains('.') || !(1.0..=1e17).contains(&micros) {
            return Err(bad(format!(
                "duration {digits}{unit} must be a whole, positive number of {unit}"
            )));
        }
        Ok(Tok::Duration(micros as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        tokenize(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn splits_words_strings_numbers_durations_and_symbols() {
        assert_eq!(
            toks(r#"events(purchase, 30d) >= 2.5 and tag:"a\"b""#),
            vec![
                Tok::Word("events".into()),
                Tok::Sym("("),
                Tok::Word("purchase".into()),
                Tok::Sym(","),
                Tok::Duration(30 * 24 * MICROS_PER_HOUR),
                Tok::Sym(")"),
                Tok::Sym(">="),
                Tok::Num(2.5),
                Tok::Word("and".into()),
                Tok::Word("tag".into()),
                Tok::Sym(":"),
                Tok::Str("a\"b".into()),
                Tok::End,
            ]
        );
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let err = tokenize("tag:vip\n  and $").unwrap_err();
        assert_eq!((err.line, err.column), (2, 7));
        let err = tokenize("events(x, 3y) > 1").unwrap_err();
        assert_eq!((err.line, err.column), (1, 11));
        assert!(tokenize("attr.name = \"open").is_err());
    }
}
