//! The predicates of the segment language, one file each, and the table of head words.

mod attr;
mod channel;
mod churn;
mod community;
mod events;
mod hops;
mod influence;
mod referred_by;
mod rfm;
mod saved;
mod score;
mod seen;
mod stage;
mod tag;

use super::error::SegmentError;
use super::lexer::Span;
use super::parser::Parser;
use super::predicate::Predicate;

/// Parses the predicate that starts with the word `head` (already consumed).
pub(crate) fn parse_predicate(
    head: &str,
    p: &mut Parser,
    span: Span,
) -> Result<Box<dyn Predicate>, SegmentError> {
    Ok(match head.to_ascii_lowercase().as_str() {
        "tag" => Box::new(tag::TagPred::parse(p)?),
        "channel" => Box::new(channel::ChannelPred::parse(p)?),
        "segment" => Box::new(saved::SegmentRef::parse(p)?),
        "attr" => Box::new(attr::AttrPred::parse(p)?),
        "events" => Box::new(events::EventsPred::parse(p, events::Measure::Count)?),
        "amount" => Box::new(events::EventsPred::parse(p, events::Measure::Amount)?),
        "last_seen" => Box::new(seen::SeenWithin::parse(p, seen::Which::Last)?),
        "first_seen" => Box::new(seen::SeenWithin::parse(p, seen::Which::First)?),
        "referred_by" => Box::new(referred_by::ReferredBy::parse(p)?),
        "influence" => Box::new(influence::Influence::parse_score(p)?),
        "influence_top" => Box::new(influence::Influence::parse_top(p)?),
        "community" => Box::new(community::CommunityPred::parse(p)?),
        "within" => Box::new(hops::WithinHops::parse(p)?),
        "score" => Box::new(score::ScorePred::parse(p)?),
        "rfm" => Box::new(rfm::RfmPred::parse(p)?),
        "stage" => Box::new(stage::StagePred::parse(p)?),
        "p_alive" => Box::new(churn::ChurnPred::parse(p, false)?),
        "clv" => Box::new(churn::ChurnPred::parse(p, true)?),
        _ => {
            return Err(SegmentError::syntax(
                span,
                format!(
                    "unknown predicate '{head}'; expected tag:, attr., channel:, segment:, \
                     events(...), amount(...), last_seen, first_seen, referred_by(...), \
                     influence, influence_top, community, within ... hops of, score, rfm, stage, p_alive or clv"
                ),
            ))
        }
    })
}
