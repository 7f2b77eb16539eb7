//! The expression tree of a segment: predicates combined with `and`, `or` and `not`.

use std::fmt;

use roaring::RoaringBitmap;
use serde::{Deserialize, Serialize};

use super::error::{SegmentError, SegmentErrorKind};
use super::lexer::Span;
use super::predicate::{CheckError, Ctx, Deps, Predicate};
use super::set::{Members, Set, DENSE_FROM, DENSE_SHARE};
use crate::bitset::DenseBits;

/// A parsed segment expression.
#[derive(Debug)]
pub(crate) enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Pred(Box<dyn Predicate>, Span),
}

/// One line of an explanation: a node of the expression and whether the customer passed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainStep {
    /// Nesting depth (0 for the whole expression).
    pub depth: u32,
    /// The node, in segment-language form (`and`, `or`, `not`, or the predicate).
    pub node: String,
    /// Whether the customer satisfies this node.
    pub matched: bool,
    /// The customer's value the predicate looked at (empty for `and`/`or`/`not`).
    pub observed: String,
}

impl Expr {
    /// Members of `within` matching the expression: on a flat bitset when `within` is a
    /// large share of a large population, on roaring bitmaps otherwise.
    pub fn evaluate(&self, ctx: &Ctx, within: &RoaringBitmap) -> Members {
        let universe = ctx.state.customers.len();
        if universe >= DENSE_FROM && within.len() * DENSE_SHARE >= universe as u64 {
            Members::Dense(self.select(ctx, &DenseBits::from_roaring(within, universe)))
        } else {
            Members::Sparse(self.select(ctx, within))
        }
    }

    /// Members of `within` matching the expression. Each side of `and` only looks at what the
    /// other left, and the right of `or` only at what the left did not take.
    pub fn select<S: Set>(&self, ctx: &Ctx, within: &S) -> S {
        match self {
            Expr::And(..) => {
                let mut conjuncts = Vec::new();
                self.conjuncts(&mut conjuncts);
                select_all(ctx, within, &conjuncts)
            }
            Expr::Or(a, b) => {
                let mut left = a.select(ctx, within);
                let mut rest = within.clone();
                rest.remove(&left);
                left.add(&b.select(ctx, &rest));
                left
            }
            Expr::Not(e) => {
                let mut out = within.clone();
                match e.as_ref() {
                    Expr::Pred(p, _) => match p.members(ctx) {
                        Some(members) => out.remove_members(members),
                        None => out.remove(&S::select(p.as_ref(), ctx, within)),
                    },
                    e => out.remove(&e.select(ctx, within)),
                }
                out
            }
            Expr::Pred(p, _) => S::select(p.as_ref(), ctx, within),
        }
    }

    /// The operands of a chain of `and`s, flattened.
    fn conjuncts<'e>(&'e self, out: &mut Vec<&'e Expr>) {
        match self {
            Expr::And(a, b) => {
                a.conjuncts(out);
                b.conjuncts(out);
            }
            e => out.push(e),
        }
    }

    /// Whether one live customer matches: the row-by-row evaluator, cheaper than bitmaps
    /// for a handful of customers, and the reference the bitmap evaluator is tested against.
    pub fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        match self {
            Expr::And(a, b) => a.matches(ctx, idx) && b.matches(ctx, idx),
            Expr::Or(a, b) => a.matches(ctx, idx) || b.matches(ctx, idx),
            Expr::Not(e) => !e.matches(ctx, idx),
            Expr::Pred(p, _) => p.matches(ctx, idx),
        }
    }

    /// Walks the tree for one customer, recording every node's verdict.
    pub fn explain(&self, ctx: &Ctx, idx: u32, depth: u32, out: &mut Vec<ExplainStep>) -> bool {
        let at = out.len();
        let (node, matched, observed) = match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                out.push(placeholder(depth));
                let left = a.explain(ctx, idx, depth + 1, out);
                let right = b.explain(ctx, idx, depth + 1, out);
                let and = matches!(self, Expr::And(..));
                let matched = if and { left && right } else { left || right };
                (
                    if and { "and" } else { "or" }.to_string(),
                    matched,
                    String::new(),
                )
            }
            Expr::Not(e) => {
                out.push(placeholder(depth));
                (
                    "not".to_string(),
                    !e.explain(ctx, idx, depth + 1, out),
                    String::new(),
                )
            }
            Expr::Pred(p, _) => {
                out.push(placeholder(depth));
                (
                    Shown(&**p).to_string(),
                    p.matches(ctx, idx),
                    p.observe(ctx, idx),
                )
            }
        };
        out[at] = ExplainStep {
            depth,
            node,
            matched,
            observed,
        };
        matched
    }

    /// Checks every predicate against the state.
    pub fn check(&self, ctx: &Ctx) -> Result<(), SegmentError> {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.check(ctx)?;
                b.check(ctx)
            }
            Expr::Not(e) => e.check(ctx),
            Expr::Pred(p, span) => p.check(ctx).map_err(|e| match e {
                CheckError::Type(m) => SegmentError::at(SegmentErrorKind::Type, *span, m),
                CheckError::UnknownSegment(m) => {
                    SegmentError::at(SegmentErrorKind::UnknownSegment, *span, m)
                }
                CheckError::UnknownCustomer(m) => {
                    SegmentError::at(SegmentErrorKind::UnknownCustomer, *span, m)
                }
                CheckError::Nested(e) => e,
            }),
        }
    }

    /// The facts the expression reads.
    pub fn deps(&self, deps: &mut Deps) {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.deps(deps);
                b.deps(deps);
            }
            Expr::Not(e) => e.deps(deps),
            Expr::Pred(p, _) => p.deps(deps),
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Expr::Or(..) => 1,
            Expr::And(..) => 2,
            Expr::Not(_) | Expr::Pred(..) => 3,
        }
    }

    fn write_child(&self, child: &Expr, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if child.precedence() < self.precedence() {
            write!(f, "({child})")
        } else {
            write!(f, "{child}")
        }
    }
}

/// Members of `within` matching every conjunct. Ready bitmaps (tags, saved segments) go
/// first, smallest first, intersected and subtracted in place; the rest then only look at
/// what is left.
fn select_all<S: Set>(ctx: &Ctx, within: &S, conjuncts: &[&Expr]) -> S {
    let mut have = Vec::new();
    let mut lack = Vec::new();
    let mut rest = Vec::new();
    for &e in conjuncts {
        match e {
            Expr::Pred(p, _) if p.members(ctx).is_some() => have.extend(p.members(ctx)),
            Expr::Not(inner) => match inner.as_ref() {
                Expr::Pred(p, _) if p.members(ctx).is_some() => lack.extend(p.members(ctx)),
                _ => rest.push(e),
            },
            _ => rest.push(e),
        }
    }
    have.sort_by_key(|m| m.len());
    let mut acc = match have.split_first() {
        Some((smallest, others)) => {
            let mut acc = S::intersect(within, smallest);
            for m in others {
                acc.keep_members(m);
            }
            acc
        }
        None => within.clone(),
    };
    for m in lack {
        acc.remove_members(m);
    }
    for e in rest {
        acc = e.select(ctx, &acc);
    }
    acc
}

fn placeholder(depth: u32) -> ExplainStep {
    ExplainStep {
        depth,
        node: String::new(),
        matched: false,
        observed: String::new(),
    }
}

/// Displays a predicate through its `write`.
struct Shown<'a>(&'a dyn Predicate);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f)
    }
}

impl fmt::Display for Expr {
    /// Canonical form: lower-case keywords, single spaces, the fewest parentheses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                self.write_child(a, f)?;
                f.write_str(if matches!(self, Expr::And(..)) {
                    " and "
                } else {
                    " or "
                })?;
                // The right side of a left-associative chain needs parentheses at equal precedence.
                if b.precedence() <= self.precedence() && b.precedence() < 3 {
                    write!(f, "({b})")
                } else {
                    write!(f, "{b}")
                }
            }
            Expr::Not(e) => {
                f.write_str("not ")?;
                self.write_child(e, f)
            }
            Expr::Pred(p, _) => p.write(f),
        }
    }
}
