//! The contract every predicate of the segment language fulfils, and the values they compare.
//!
//! Adding a predicate is local: write a type that implements [`Predicate`] in
//! `predicates/`, and register its head word in `predicates/mod.rs`.

use std::cmp::Ordering;
use std::fmt;

use roaring::RoaringBitmap;

use super::error::SegmentError;
use crate::bitset::DenseBits;
use crate::customer::AttributeValue;
use crate::state::{NumTest, State};

/// What a predicate evaluates against: the engine state at one instant.
pub(crate) struct Ctx<'a> {
    pub state: &'a State,
    /// The engine clock, in microseconds.
    pub now: i64,
}

/// Facts a predicate reads, so saved segments and rules know when to re-evaluate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Deps {
    /// Names of saved segments referenced.
    pub segments: Vec<String>,
    /// Tags read.
    pub tags: Vec<String>,
    /// True when the result moves with the clock even without writes.
    pub time: bool,
    /// True when the result reads event history or activity.
    pub events: bool,
    /// Attribute keys read.
    pub attributes: Vec<String>,
    /// True when the result reads the relationship graph (any customer's edges can move
    /// anyone's result, so a change re-evaluates the whole node).
    pub graph: bool,
    /// True when the result reads engagement scores (a new scoring configuration
    /// re-evaluates the whole node).
    pub score: bool,
    /// True when the result ranks customers against the population (RFM quantiles), so
    /// any event or profile change re-evaluates the whole node.
    pub population: bool,
    /// True when the result reads the fitted churn model (a new fit re-evaluates the
    /// whole node).
    pub churn: bool,
    /// Ladders whose stages are read (`stage(brand) = follower`).
    pub stages: Vec<String>,
    /// True when a stage is read without naming its ladder (`stage = follower`): the
    /// result may read any ladder.
    pub any_stage: bool,
}

/// One predicate of the segment language (`tag:vip`, `attr.age >= 30`, ...).
pub(crate) trait Predicate: fmt::Debug + Send + Sync {
    /// Writes the predicate back in canonical segment-language form.
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;

    /// Checks the predicate against the state (types of attributes, names of segments);
    /// the message is placed at the predicate's position by the caller.
    fn check(&self, _ctx: &Ctx) -> Result<(), CheckError> {
        Ok(())
    }

    /// The members of `within` that match.
    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        within
            .iter()
            .filter(|&idx| self.matches(ctx, idx))
            .collect()
    }

    /// The members of `within` that match, on a flat bitset.
    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        within.filter(|idx| self.matches(ctx, idx))
    }

    /// Every customer matching, when the predicate holds it ready (a tag's or a saved
    /// segment's bitmap), so `not` can subtract it without intersecting first.
    fn members<'a>(&self, _ctx: &'a Ctx) -> Option<&'a RoaringBitmap> {
        None
    }

    /// Whether one live customer matches.
    fn matches(&self, ctx: &Ctx, idx: u32) -> bool;

    /// What this customer's relevant value is, for `explain`.
    fn observe(&self, ctx: &Ctx, idx: u32) -> String;

    /// Adds the facts this predicate reads.
    fn deps(&self, _deps: &mut Deps) {}
}

/// [`Predicate::select_dense`] for a predicate that answers with set operations on roaring
/// bitmaps: the flat candidates go through its `select` and come back flat.
pub(crate) fn select_dense_by_sets(
    predicate: &impl Predicate,
    ctx: &Ctx,
    within: &DenseBits,
) -> DenseBits {
    let found = predicate.select(ctx, &within.to_roaring());
    DenseBits::from_roaring(&found, within.universe())
}

/// Why a predicate does not fit the state.
pub(crate) enum CheckError {
    /// The comparison does not fit the attribute's values.
    Type(String),
    /// A referenced saved segment does not exist.
    UnknownSegment(String),
    /// A referenced customer does not exist.
    UnknownCustomer(String),
    /// A nested expression is wrong (it carries its own position).
    Nested(SegmentError),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    /// Parses an operator symbol.
    pub fn from_symbol(s: &str) -> Option<Cmp> {
        Some(match s {
            "=" | "==" => Cmp::Eq,
            "!=" => Cmp::Ne,
            "<" => Cmp::Lt,
            "<=" => Cmp::Le,
            ">" => Cmp::Gt,
            ">=" => Cmp::Ge,
            _ => return None,
        })
    }

    /// Whether `ordering` (left compared with right) satisfies the operator.
    pub fn holds(self, ordering: Ordering) -> bool {
        match self {
            Cmp::Eq => ordering == Ordering::Equal,
            Cmp::Ne => ordering != Ordering::Equal,
            Cmp::Lt => ordering == Ordering::Less,
            Cmp::Le => ordering != Ordering::Greater,
            Cmp::Gt => ordering == Ordering::Greater,
            Cmp::Ge => ordering != Ordering::Less,
        }
    }

    /// Compares two numbers.
    pub fn test(self, left: f64, right: f64) -> bool {
        left.partial_cmp(&right).is_some_and(|o| self.holds(o))
    }

    /// The column test `value <self> n`.
    pub fn num_test(self, n: f64) -> NumTest {
        match self {
            Cmp::Eq => NumTest::Eq(n),
            Cmp::Ne => NumTest::Ne(n),
            Cmp::Lt => NumTest::Lt(n),
            Cmp::Le => NumTest::Le(n),
            Cmp::Gt => NumTest::Gt(n),
            Cmp::Ge => NumTest::Ge(n),
        }
    }
}

impl fmt::Display for Cmp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cmp::Eq => "=",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        })
    }
}

/// A literal in an expression. Strings that read as a date or an RFC 3339 time also carry
/// that instant, so they compare with time attributes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Lit {
    Str { text: String, time: Option<i64> },
    Num(f64),
    Bool(bool),
}

impl Lit {
    /// A string literal, recognising times.
    pub fn string(text: String) -> Lit {
        let time = parse_time(&text);
        Lit::Str { text, time }
    }

    /// Orders an attribute value against this literal; `None` when the types do not compare.
    pub fn compare(&self, value: &AttributeValue) -> Option<Ordering> {
        match (value, self) {
            (AttributeValue::Int(i), Lit::Num(n)) => (*i as f64).partial_cmp(n),
            (AttributeValue::Float(x), Lit::Num(n)) => x.partial_cmp(n),
            (AttributeValue::String(s), Lit::Str { text, .. }) => Some(s.as_str().cmp(text)),
            (AttributeValue::Bool(b), Lit::Bool(l)) => Some(b.cmp(l)),
            (AttributeValue::Time(t), Lit::Str { time: Some(l), .. }) => {
                Some(t.timestamp_micros().cmp(l))
            }
            _ => None,
        }
    }

    /// Whether some value of a type in `mask` compares with this literal.
    pub fn fits(&self, mask: TypeMask) -> bool {
        match self {
            Lit::Num(_) => mask.has(TypeMask::NUMBER),
            Lit::Bool(_) => mask.has(TypeMask::BOOL),
            Lit::Str { time, .. } => {
                mask.has(TypeMask::STRING) || (time.is_some() && mask.has(TypeMask::TIME))
            }
        }
    }

    /// The type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Lit::Num(_) => "a number",
            Lit::Bool(_) => "a boolean",
            Lit::Str { .. } => "a string",
        }
    }
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lit::Str { text, .. } => write_quoted(f, text),
            Lit::Num(n) => write!(f, "{n}"),
            Lit::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Writes a string literal with the language's escapes.
pub(crate) fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// Writes a name bare when it reads back as words joined by `:`, quoted otherwise.
pub(crate) fn write_name(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    let word = |w: &str| {
        w.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && w.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    if !name.is_empty() && name.split(':').all(word) {
        f.write_str(name)
    } else {
        write_quoted(f, name)
    }
}

fn parse_time(text: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_micros());
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros())
}

/// The set of value types an attribute key has held, kept so type errors are caught early.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TypeMask(u8);

impl TypeMask {
    pub const NUMBER: TypeMask = TypeMask(1);
    pub const STRING: TypeMask = TypeMask(2);
    pub const BOOL: TypeMask = TypeMask(4);
    pub const TIME: TypeMask = TypeMask(8);
    pub const LIST: TypeMask = TypeMask(16);

    /// The type of one value.
    pub fn of(value: &AttributeValue) -> TypeMask {
        match value {
            AttributeValue::Int(_) | AttributeValue::Float(_) => TypeMask::NUMBER,
            AttributeValue::String(_) => TypeMask::STRING,
            AttributeValue::Bool(_) => TypeMask::BOOL,
            AttributeValue::Time(_) => TypeMask::TIME,
            AttributeValue::List(_) => TypeMask::LIST,
        }
    }

    /// Adds the types of `other`.
    pub fn add(&mut self, other: TypeMask) {
        self.0 |= other.0;
    }

    /// Whether any type of `other` is in the mask.
    pub fn has(self, other: TypeMask) -> bool {
        self.0 & other.0 != 0
    }

    /// Names of the types in the mask, for messages.
    pub fn names(self) -> String {
        let names = [
            (TypeMask::NUMBER, "numbers"),
            (TypeMask::STRING, "strings"),
            (TypeMask::BOOL, "booleans"),
            (TypeMask::TIME, "times"),
            (TypeMask::LIST, "lists"),
        ];
        let held: Vec<_> = names
            .iter()
            .filter(|(m, _)| self.has(*m))
            .map(|(_, n)| *n)
            .collect();
        held.join(" and ")
    }
}
