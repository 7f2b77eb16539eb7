//! `attr.<key> ...`: tests on profile attributes.
//!
//! Every test needs the attribute present with a comparable value: a customer without `city`
//! matches neither `attr.city = "x"` nor `attr.city != "x"` nor `attr.city not in (...)`.
//! Write `attr.city missing or ...`, or negate the whole test with `not`, to include them.

use std::cmp::Ordering;
use std::fmt;

use regex::Regex;
use roaring::RoaringBitmap;

use crate::bitset::DenseBits;
use crate::customer::AttributeValue;
use crate::names::check_key;
use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{
    write_quoted, CheckError, Cmp, Ctx, Deps, Lit, Predicate, TypeMask,
};
use crate::state::{Column, NumTest};

/// Largest compiled size of a `matches` regular expression.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug)]
pub(crate) struct AttrPred {
    key: String,
    test: Test,
}

#[derive(Debug)]
enum Test {
    Cmp(Cmp, Lit),
    In { negated: bool, values: Vec<Lit> },
    Between { negated: bool, low: Lit, high: Lit },
    Exists,
    Missing,
    Text(TextOp, String),
    Matches(Regex),
}

#[derive(Clone, Copy, Debug)]
enum TextOp {
    Contains,
    StartsWith,
    EndsWith,
}

impl TextOp {
    fn word(self) -> &'static str {
        match self {
            TextOp::Contains => "contains",
            TextOp::StartsWith => "starts_with",
            TextOp::EndsWith => "ends_with",
        }
    }
}

impl AttrPred {
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        p.symbol(".")?;
        let span = p.peek().span;
        let key = p.word("an attribute key")?;
        check_key(|| "key".into(), &key).map_err(|e| SegmentError::syntax(span, e.to_string()))?;
        let test = if p.eat_keyword("exists") {
            Test::Exists
        } else if p.eat_keyword("missing") {
            Test::Missing
        } else if let Some(op) = [TextOp::Contains, TextOp::StartsWith, TextOp::EndsWith]
            .into_iter()
            .find(|op| p.at_keyword(op.word()))
        {
            p.keyword(op.word())?;
            Test::Text(op, p.string("a quoted string")?.0)
        } else if p.eat_keyword("matches") {
            let (pattern, span) = p.string("a quoted regular expression")?;
            let regex = regex::RegexBuilder::new(&pattern)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| {
                    SegmentError::syntax(span, format!("invalid regular expression: {e}"))
                })?;
            Test::Matches(regex)
        } else {
            let negated = p.eat_keyword("not");
            if p.eat_keyword("in") {
                p.symbol("(")?;
                let mut values = vec![p.literal()?];
                while p.eat_symbol(",") {
                    values.push(p.literal()?);
                }
                p.symbol(")")?;
                Test::In { negated, values }
            } else if p.eat_keyword("between") {
                let low = p.literal()?;
                p.keyword("and")?;
                let high = p.literal()?;
                Test::Between { negated, low, high }
            } else if negated {
                return Err(p.error(format!(
                    "expected 'in' or 'between' after 'not', found {}",
                    p.peek().tok
                )));
            } else {
                let cmp = p.cmp()?;
                Test::Cmp(cmp, p.literal()?)
            }
        };
        Ok(AttrPred { key, test })
    }

    fn value<'a>(&self, ctx: &'a Ctx, idx: u32) -> Option<&'a AttributeValue> {
        ctx.state.customers[idx as usize]
            .attributes
            .get(&self.key)
            .map(|a| &a.value)
    }

    /// The test as a numeric test, when it only compares with numbers, so it can run over
    /// the key's column.
    fn numeric(&self) -> Option<NumTest> {
        let num = |lit: &Lit| match lit {
            Lit::Num(n) => Some(*n),
            _ => None,
        };
        Some(match &self.test {
            Test::Cmp(cmp, lit) => cmp.num_test(num(lit)?),
            Test::Between { negated, low, high } => NumTest::Between {
                low: num(low)?,
                high: num(high)?,
                negated: *negated,
            },
            Test::In { negated, values } => NumTest::In {
                values: values.iter().map(num).collect::<Option<_>>()?,
                negated: *negated,
            },
            _ => return None,
        })
    }

    /// The key's column and the test to run over it, when the test is numeric.
    fn column<'a>(&self, ctx: &'a Ctx) -> Option<(&'a Column, NumTest)> {
        Some((ctx.state.index.columns.get(&self.key)?, self.numeric()?))
    }

    fn literals(&self) -> Vec<&Lit> {
        match &self.test {
            Test::Cmp(_, lit) => vec![lit],
            Test::In { values, .. } => values.iter().collect(),
            Test::Between { low, high, .. } => vec![low, high],
            _ => Vec::new(),
        }
    }
}

fn text_of(value: &AttributeValue) -> Option<&str> {
    match value {
        AttributeValue::String(s) => Some(s),
        _ => None,
    }
}

impl Predicate for AttrPred {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "attr.{} ", self.key)?;
        let not = |negated: bool| if negated { "not " } else { "" };
        match &self.test {
            Test::Cmp(cmp, lit) => write!(f, "{cmp} {lit}"),
            Test::In { negated, values } => {
                write!(f, "{}in (", not(*negated))?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str(")")
            }
            Test::Between { negated, low, high } => {
                write!(f, "{}between {low} and {high}", not(*negated))
            }
            Test::Exists => f.write_str("exists"),
            Test::Missing => f.write_str("missing"),
            Test::Text(op, s) => {
                write!(f, "{} ", op.word())?;
                write_quoted(f, s)
            }
            Test::Matches(r) => {
                f.write_str("matches ")?;
                write_quoted(f, r.as_str())
            }
        }
    }

    fn check(&self, ctx: &Ctx) -> Result<(), CheckError> {
        let Some(&mask) = ctx.state.index.attr_types.get(&self.key) else {
            return Ok(());
        };
        let mismatch = |wanted: &str| {
            Err(CheckError::Type(format!(
                "attr.{} holds {}; {wanted}",
                self.key,
                mask.names()
            )))
        };
        match &self.test {
            Test::Text(TextOp::Contains, _)
                if !mask.has(TypeMask::STRING) && !mask.has(TypeMask::LIST) =>
            {
                mismatch("'contains' needs strings or lists")
            }
            Test::Text(op, _) if !matches!(op, TextOp::Contains) && !mask.has(TypeMask::STRING) => {
                mismatch(&format!("'{}' needs strings", op.word()))
            }
            Test::Matches(_) if !mask.has(TypeMask::STRING) => mismatch("'matches' needs strings"),
            _ => match self.literals().into_iter().find(|lit| !lit.fits(mask)) {
                Some(lit) => mismatch(&format!("cannot compare with {} {lit}", lit.type_name())),
                None => Ok(()),
            },
        }
    }

    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        match self.column(ctx) {
            Some((column, test)) => column.select(within, &test),
            None => within
                .iter()
                .filter(|&idx| self.matches(ctx, idx))
                .collect(),
        }
    }

    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        match self.column(ctx) {
            Some((column, test)) => column.select(within, &test),
            None => within.filter(|idx| self.matches(ctx, idx)),
        }
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        let value = self.value(ctx, idx);
        let Some(value) = value else {
            return matches!(self.test, Test::Missing);
        };
        let ordered = |lit: &Lit, cmp: Cmp| lit.compare(value).is_some_and(|o| cmp.holds(o));
        match &self.test {
            Test::Exists => true,
            Test::Missing => false,
            Test::Cmp(cmp, lit) => ordered(lit, *cmp),
            Test::In { negated, values } => {
                let comparable: Vec<Ordering> =
                    values.iter().filter_map(|l| l.compare(value)).collect();
                !comparable.is_empty() && comparable.contains(&Ordering::Equal) != *negated
            }
            Test::Between { negated, low, high } => {
                match (low.compare(value), high.compare(value)) {
                    (Some(lo), Some(hi)) => {
                        let inside = lo != Ordering::Less && hi != Ordering::Greater;
                        inside != *negated
                    }
                    _ => false,
                }
            }
            Test::Text(op, needle) => match (value, op) {
                (AttributeValue::List(items), TextOp::Contains) => {
                    items.iter().any(|i| i == needle)
                }
                _ => text_of(value).is_some_and(|s| match op {
                    TextOp::Contains => s.contains(needle.as_str()),
                    TextOp::StartsWith => s.starts_with(needle.as_str()),
                    TextOp::EndsWith => s.ends_with(needle.as_str()),
                }),
            },
            Test::Matches(regex) => text_of(value).is_some_and(|s| regex.is_match(s)),
        }
    }

    fn deps(&self, deps: &mut Deps) {
        deps.attributes.push(self.key.clone());
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        match self.value(ctx, idx) {
            Some(value) => format!(
                "attr.{} = {}",
                self.key,
                serde_json::to_string(value).unwrap_or_default()
            ),
            None => format!("attr.{} is missing", self.key),
        }
    }
}
