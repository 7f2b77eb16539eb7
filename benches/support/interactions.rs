//! The interaction stream of the ingest figures of issue 2, shared by `ingest` (criterion)
//! and `customers_race` (the report): customers with a WeChat openid, and mixed events
//! (view, message, comment, share, purchase on wechat, weibo and app) over 180 days.

use chrono::{DateTime, TimeZone, Utc};
use scrm::{kinds, CustomerInput, Direction, Engine, EventInput};

use super::Rng;

/// Customers per `upsert_customers` call.
const CHUNK: usize = 10_000;

/// External id of customer `i` of the stream.
pub fn customer_id(i: usize) -> String {
    format!("c-{i:07}")
}

/// Upserts customers `0..n`, each with a WeChat openid, in chunks.
pub fn add_customers(engine: &Engine, n: usize) {
    let inputs: Vec<CustomerInput> = (0..n)
        .map(|i| CustomerInput::new(customer_id(i)).identity("wechat_openid", format!("o6_{i:09}")))
        .collect();
    for chunk in inputs.chunks(CHUNK) {
        engine.upsert_customers(chunk).expect("customer setup");
    }
}

/// `count` events of customers `0..customers`: 50% views, 20% messages (half of them
/// outbound), 12% comments, 10% shares, 8% purchases with an amount; spread over the 180
/// days before 2026-06-01.
pub fn make_events(customers: usize, count: usize) -> Vec<EventInput> {
    let end: DateTime<Utc> = Utc
        .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
        .single()
        .expect("valid date");
    let span_secs = 180 * 24 * 3600;
    let channels = ["wechat", "weibo", "app"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..count)
        .map(|_| {
            let customer = customer_id(rng.below(customers as u64) as usize);
            let channel = channels[rng.below(3) as usize];
            let at = end - chrono::Duration::seconds(rng.below(span_secs) as i64);
            let roll = rng.below(100);
            let kind = match roll {
                0..50 => kinds::VIEW,
                50..70 => kinds::MESSAGE,
                70..82 => kinds::COMMENT,
                82..92 => kinds::SHARE,
                _ => kinds::PURCHASE,
            };
            let event = EventInput::new(customer, kind, channel, at);
            match kind {
                kinds::PURCHASE => event.amount((1 + rng.below(100_000)) as f64 / 100.0),
                kinds::MESSAGE if roll % 2 == 0 => event.direction(Direction::Outbound),
                _ => event,
            }
        })
        .collect()
}
