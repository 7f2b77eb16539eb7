//! The identity dataset of issue 2, shared by `identity` (criterion) and `customers_race`
//! (the report): customers with 3 identities each (a 28-character WeChat openid, a mainland
//! mobile number and an email address).

use scrm::{CustomerInput, Engine};

/// Customers per `upsert_customers` call.
pub const CHUNK: usize = 10_000;

/// SplitMix64 step: deterministic pseudo-random bits for the openids.
pub fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Customer `i`: its id and its (channel, value) identities.
pub fn customer(i: usize) -> (String, [(&'static str, String); 3]) {
    let openid = format!("o6_{:018x}{i:07}", mix(i as u64));
    (
        format!("c-{i:07}"),
        [
            ("wechat_openid", openid),
            ("phone", format!("+86138{i:08}")),
            ("email", format!("user{i}@example.com")),
        ],
    )
}

/// Upserts customers `0..n` into `engine` in chunks.
pub fn load(engine: &Engine, n: usize) {
    let mut chunk = Vec::with_capacity(CHUNK);
    for start in (0..n).step_by(CHUNK) {
        chunk.clear();
        chunk.extend((start..n.min(start + CHUNK)).map(|i| {
            let (id, identities) = customer(i);
            identities
                .into_iter()
                .fold(CustomerInput::new(id), |c, (ch, v)| c.identity(ch, v))
        }));
        engine.upsert_customers(&chunk).expect("customer setup");
    }
}

/// `count` (channel, value, customer id) keys of random customers of `0..n`, across the
/// three channels, checked to resolve.
pub fn lookup_keys(engine: &Engine, n: usize, count: usize) -> Vec<(&'static str, String, String)> {
    let keys: Vec<_> = (0..count as u64)
        .map(|k| {
            let r = mix(k ^ 0x5EED);
            let (id, identities) = customer((r % n as u64) as usize);
            let (channel, value) = identities[(r >> 32) as usize % 3].clone();
            (channel, value, id)
        })
        .collect();
    for (channel, value, id) in &keys {
        let found = engine.lookup_identity(channel, value).expect("lookup");
        assert_eq!(found.as_deref(), Some(id.as_str()), "{channel} {value}");
    }
    keys
}
