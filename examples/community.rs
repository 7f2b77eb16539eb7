//! The main job: generates a realistic brand community (100,000 profiles seen on WeChat,
//! Weibo, phone and email, and 1,000,000 interactions over six months) into the embedded
//! store, then prints what the engine found.
//!
//! ```text
//! cargo run --release --example community            # store at target/community.scrm
//! cargo run --release --example community -- my.scrm # another store file (recreated)
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use scrm::{
    kinds, CustomerInput, Direction, Engine, EngineConfig, EventInput, MergeReason, MergeStrategy,
};

const MEMBERS: usize = 80_000;
const FOLLOWERS: usize = 20_000;
const EVENTS: usize = 1_000_000;
const BATCH: usize = 10_000;
const CITIES: [&str; 8] = [
    "Shanghai",
    "Beijing",
    "Guangzhou",
    "Shenzhen",
    "Hangzhou",
    "Chengdu",
    "Wuhan",
    "Nanjing",
];

/// A small deterministic generator (xorshift64*), so every run builds the same community.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A heavy-tailed pick in `0..n`: a few customers do most of the talking. Ranks are
    /// scattered over the range (times a large prime) so the busiest are not the first ids.
    fn skewed(&mut self, n: usize) -> usize {
        let rank = (self.unit().powf(2.5) * n as f64) as usize;
        rank * 7_919 % n
    }
}

fn phone(i: usize) -> String {
    format!("+86 13{:09}", i * 7919 % 1_000_000_000)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/community.scrm")
        });
    if path.extension().is_some_and(|e| e == "scrm") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    let mut config = EngineConfig::default();
    config
        .merge
        .strategies
        .insert("points".into(), MergeStrategy::Sum);
    config
        .merge
        .strategies
        .insert("interests".into(), MergeStrategy::Union);
    let engine = Engine::open_with(&path, config)?;
    let start = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
    let mut rng = Rng(0x5EED_2026);

    let t = Instant::now();
    let profiles = generate_profiles(&mut rng, start);
    for chunk in profiles.chunks(BATCH) {
        engine.upsert_customers(chunk)?;
    }
    println!(
        "scrm community demo -> {}\n\nprofiles: {} upserted in {:.2?}",
        path.display(),
        profiles.len(),
        t.elapsed()
    );

    let ids = engine.customer_ids();
    let t = Instant::now();
    let (mut inserted, mut duplicates) = (0, 0);
    for batch in generate_events(&mut rng, &ids, start).chunks(BATCH) {
        let report = engine.record_events(batch)?;
        inserted += report.inserted;
        duplicates += report.duplicates;
    }
    let took = t.elapsed();
    println!(
        "events:   {inserted} recorded ({duplicates} duplicates skipped) in {took:.2?} = {:.0} events/s, durable\n",
        inserted as f64 / took.as_secs_f64()
    );

    // Followers who later bind their phone in the mini-program are resolved into members.
    let t = Instant::now();
    let binds = bind_followers(&mut rng, start);
    let outcomes = engine.upsert_customers(&binds)?;
    let merged = outcomes.iter().filter(|o| !o.merged.is_empty()).count();
    println!(
        "identity resolution: {} WeChat followers bound a phone, {merged} merged into members in {:.2?}",
        binds.len(),
        t.elapsed()
    );
    if let Some(m) = engine.merges().first() {
        if let MergeReason::SharedIdentity { channel, value } = &m.reason {
            println!(
                "  e.g. {} -> {} (shared {channel} {value}, by {})",
                m.merged, m.survivor, m.actor
            );
        }
    }
    report(&engine, start)?;
    Ok(())
}

fn generate_profiles(rng: &mut Rng, start: DateTime<Utc>) -> Vec<CustomerInput> {
    let interests = ["tea", "travel", "skincare", "coffee", "fitness", "books"];
    let mut profiles = Vec::with_capacity(MEMBERS + FOLLOWERS);
    for i in 0..MEMBERS {
        let joined = start - Duration::days(rng.below(720) as i64);
        let mut p = CustomerInput::new(format!("m-{i:06}"))
            .at(joined)
            .attribute("city", CITIES[rng.below(CITIES.len())])
            .attribute("age", 18 + rng.below(50) as i64)
            .attribute("points", rng.below(5_000) as i64)
            .attribute(
                "interests",
                vec![interests[rng.below(interests.len())].to_string()],
            )
            .identity("phone", phone(i))
            .identity("email", format!("Member{i}@Example.com"));
        if rng.below(3) == 0 {
            p = p.identity("weibo", format!("wb_{i}"));
        }
        profiles.push(p);
    }
    for f in 0..FOLLOWERS {
        let followed = start + Duration::days(rng.below(90) as i64);
        profiles.push(
            CustomerInput::new(format!("wx-o6_{f:06}"))
                .anonymous(true)
                .at(followed)
                .attribute("points", 50i64)
                .attribute(
                    "interests",
                    vec![interests[rng.below(interests.len())].to_string()],
                )
                .identity("wechat_openid", format!("o6_{f:06}"))
                .identity("wechat_unionid", format!("u_{f:06}")),
        );
    }
    profiles
}

fn generate_events(rng: &mut Rng, ids: &[String], start: DateTime<Utc>) -> Vec<EventInput> {
    let mix = [
        (kinds::VIEW, 45),
        (kinds::CLICK, 15),
        (kinds::MESSAGE, 12),
        (kinds::COMMENT, 8),
        (kinds::SHARE, 6),
        (kinds::PURCHASE, 5),
        ("campaign_push", 5),
        (kinds::FOLLOW, 2),
        (kinds::SURVEY, 2),
    ];
    let total: usize = mix.iter().map(|(_, w)| w).sum();
    let channels = [
        "wechat",
        "wechat",
        "mini_program",
        "weibo",
        "app",
        "store",
        "email",
    ];
    (0..EVENTS)
        .map(|n| {
            let who = &ids[rng.skewed(ids.len())];
            let at = start + Duration::seconds(rng.below(180 * 86_400) as i64);
            let mut pick = rng.below(total);
            let kind = mix
                .iter()
                .find(|(_, w)| {
                    let hit = pick < *w;
                    pick = pick.saturating_sub(*w);
                    hit
                })
                .map_or(kinds::VIEW, |(k, _)| *k);
            let channel = channels[rng.below(channels.len())];
            let mut e = EventInput::new(who.as_str(), kind, channel, at);
            match kind {
                "campaign_push" => e = e.direction(Direction::Outbound),
                kinds::PURCHASE => {
                    let amount = ((20.0 + 980.0 * rng.unit().powf(2.0)) * 10.0).round() / 10.0;
                    e = e.amount(amount).idempotency_key(format!("order-{n}"));
                }
                kinds::SHARE => e = e.target(ids[rng.below(ids.len())].as_str()),
                kinds::MESSAGE if rng.below(2) == 0 => e = e.direction(Direction::Outbound),
                _ => {}
            }
            e
        })
        .collect()
}

fn bind_followers(rng: &mut Rng, start: DateTime<Utc>) -> Vec<CustomerInput> {
    let mut binds = Vec::new();
    for f in 0..FOLLOWERS {
        if rng.below(5) < 2 {
            let member = rng.below(MEMBERS);
            let at = start + Duration::days(150 + rng.below(30) as i64);
            binds.push(
                CustomerInput::new(format!("wx-o6_{f:06}"))
                    .at(at)
                    .identity("phone", phone(member)),
            );
        }
    }
    binds
}

fn report(engine: &Engine, start: DateTime<Utc>) -> Result<(), Box<dyn std::error::Error>> {
    let stats = engine.stats();
    println!(
        "\nthe engine now holds {} customers ({} merged profiles), {} identities, {} events",
        stats.customers, stats.merged, stats.identities, stats.events
    );
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let (mut revenue, mut buyers, mut repeat, mut silent) = (0.0, 0, 0, 0);
    let mut top: Vec<(u64, String)> = Vec::new();
    let cutoff = start + Duration::days(150);
    for id in engine.customer_ids() {
        let c = engine.customer(&id)?;
        for (k, n) in &c.activity.counts {
            *kinds.entry(k.clone()).or_default() += n;
        }
        revenue += c.activity.total_amount;
        let purchases = c.activity.counts.get(kinds::PURCHASE).copied().unwrap_or(0);
        buyers += usize::from(purchases > 0);
        repeat += usize::from(purchases > 1);
        silent += usize::from(c.activity.last_seen.is_none_or(|t| t < cutoff));
        top.push((c.activity.inbound, id));
    }
    println!("\ninteractions by kind:");
    for (kind, n) in &kinds {
        println!("  {kind:<14} {n:>9}");
    }
    println!(
        "\nrevenue: {revenue:.0} from {buyers} buyers ({repeat} bought more than once, {:.1}%)",
        100.0 * repeat as f64 / buyers.max(1) as f64
    );
    println!("not seen in the last 30 days: {silent} customers (churn watch list)");
    top.sort_unstable_by(|a, b| b.cmp(a));
    println!("\nmost engaged customers:");
    for (inbound, id) in top.iter().take(5) {
        let c = engine.customer(id)?;
        let channels: Vec<_> = c.identities.iter().map(|i| i.channel.as_str()).collect();
        println!(
            "  {id:<12} {inbound:>5} interactions, spent {:>8.0}, known on {}, merged {:?}",
            c.activity.total_amount,
            channels.join("+"),
            c.merged_ids
        );
    }
    let t = Instant::now();
    let owner = engine.lookup_identity("phone", "+86 13000007919")?;
    println!(
        "\nwho is +86 130 0000 7919? {} (looked up in {:.2?})",
        owner.as_deref().unwrap_or("nobody"),
        t.elapsed()
    );
    Ok(())
}
