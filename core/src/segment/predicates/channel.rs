//! `channel:wechat`: customers with an identity on a channel. `channel:wechat` also matches
//! the channels that refine it (`wechat_openid`, `wechat_unionid`).

use std::fmt;

use roaring::RoaringBitmap;

use crate::bitset::DenseBits;
use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{select_dense_by_sets, write_name, Ctx, Predicate};

#[derive(Debug)]
pub(crate) struct ChannelPred {
    channel: String,
}

impl ChannelPred {
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        p.symbol(":")?;
        let channel = p.name("a channel name")?.to_ascii_lowercase();
        Ok(ChannelPred { channel })
    }

    fn covers(&self, channel: &str) -> bool {
        channel == self.channel
            || channel
                .strip_prefix(self.channel.as_str())
                .is_some_and(|rest| rest.starts_with('_'))
    }

    fn channels(&self, ctx: &Ctx, idx: u32) -> Vec<String> {
        let slot = &ctx.state.customers[idx as usize];
        slot.identities
            .iter()
            .map(|k| ctx.state.symbols.name(k.channel).to_string())
            .collect()
    }
}

impl Predicate for ChannelPred {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("channel:")?;
        write_name(f, &self.channel)
    }

    /// The union of the channel index's bitmaps of the channels covered.
    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        let state = ctx.state;
        let covered = state
            .index
            .channels
            .iter()
            .filter(|(&channel, _)| self.covers(state.symbols.name(channel)))
            .fold(RoaringBitmap::new(), |all, (_, members)| all | members);
        covered & within
    }

    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        select_dense_by_sets(self, ctx, within)
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        let slot = &ctx.state.customers[idx as usize];
        slot.identities
            .iter()
            .any(|k| self.covers(ctx.state.symbols.name(k.channel)))
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        let channels = self.channels(ctx, idx);
        if channels.is_empty() {
            "no identities".to_string()
        } else {
            format!("identities on {}", channels.join(", "))
        }
    }
}
