//! Planning an event batch: validation, customer resolution and idempotency. Large batches
//! are checked on several threads (the checks only read the state); names new to the engine
//! and duplicate keys are then settled in order on the calling thread.

use crate::error::{invalid, Result};
use crate::event::{EventInput, EventRow, IngestReport};
use crate::hash::HashSet;
use crate::parallel::map_chunks;
use crate::referral::plan::Planner;
use crate::state::{Changes, NewEvent, PendingSymbols, State};

/// Batches at least this large are checked on several threads.
const PARALLEL_FROM: usize = 8_192;
/// Placeholder symbol for a name the engine has not seen yet.
const UNKNOWN: u32 = u32::MAX;

/// Events of one chunk that passed the checks, and the names they use that are new.
struct Checked {
    events: Vec<NewEvent>,
    /// (position in `events`, position in the batch, new kind name, new channel name).
    new_names: Vec<(usize, usize, Option<String>, Option<String>)>,
}

/// Validates a batch and returns the events to append. Any bad event fails the whole batch,
/// reporting the first bad event in batch order.
pub(crate) fn plan_events(state: &State, inputs: &[EventInput]) -> Result<(Changes, IngestReport)> {
    let parts = map_chunks(inputs, PARALLEL_FROM, |part, offset| {
        check(state, part, offset)
    });
    let mut symbols = PendingSymbols::after(&state.symbols);
    let mut events = Vec::with_capacity(inputs.len());
    for part in parts {
        let mut part = part?;
        for (at, i, kind, channel) in part.new_names {
            let row = &mut part.events[at].row;
            if let Some(kind) = kind {
                row.kind = symbols.id(&state.symbols, || format!("events[{i}].kind"), &kind)?;
            }
            if let Some(channel) = channel {
                let path = || format!("events[{i}].channel");
                row.channel = symbols.id(&state.symbols, path, &channel)?;
            }
        }
        events.append(&mut part.events);
    }
    let mut seen: HashSet<&str> = HashSet::default();
    let keep: Vec<bool> = events
        .iter()
        .map(|e| e.key.as_deref().is_none_or(|k| seen.insert(k)))
        .collect();
    drop(seen);
    let mut keep = keep.into_iter();
    events.retain(|_| keep.next().unwrap_or(true));
    if u32::try_from(state.events.len() + events.len()).is_err() {
        return Err(invalid("events", "the log is full (2^32 events)"));
    }
    let report = IngestReport {
        inserted: events.len() as u64,
        duplicates: (inputs.len() - events.len()) as u64,
    };
    let symbols = symbols.into_names();
    // Rewards and refunds of referral programmes for these events.
    let mut referrals = Planner::new(state);
    referrals.events(&events, state.events.len(), &symbols);
    let changes = Changes {
        symbols,
        events,
        edges: referrals.edges,
        referral_ops: referrals.ops,
        ..Changes::default()
    };
    Ok((changes, report))
}

/// Checks `inputs`, the events from position `offset` of the batch.
fn check(state: &State, inputs: &[EventInput], offset: usize) -> Result<Checked> {
    let mut checked = Checked {
        events: Vec::with_capacity(inputs.len()),
        new_names: Vec::new(),
    };
    for (j, input) in inputs.iter().enumerate() {
        let i = offset + j;
        let (kind, channel, at) = input.validate(i)?;
        let resolve = |name: &str, id: &str| {
            state.resolve(id).ok_or_else(|| {
                invalid(
                    format!("events[{i}].{name}"),
                    format!("unknown customer {id:?}"),
                )
            })
        };
        let customer = resolve("customer", &input.customer)?;
        let target = match &input.target {
            Some(t) => Some(resolve("target", t)?),
            None => None,
        };
        if input
            .idempotency_key
            .as_deref()
            .is_some_and(|k| state.events.has_key(k))
        {
            continue;
        }
        let kind_id = state.symbols.get(&kind);
        let channel_id = state.symbols.get(&channel);
        if kind_id.is_none() || channel_id.is_none() {
            checked.new_names.push((
                checked.events.len(),
                i,
                kind_id.is_none().then(|| kind.into_owned()),
                channel_id.is_none().then(|| channel.into_owned()),
            ));
        }
        checked.events.push(NewEvent {
            row: EventRow {
                customer,
                kind: kind_id.unwrap_or(UNKNOWN),
                channel: channel_id.unwrap_or(UNKNOWN),
                direction: input.direction,
                at,
                amount: input.amount,
                target,
            },
            properties: input.properties.clone(),
            key: input.idempotency_key.as_deref().map(Box::from),
        });
    }
    Ok(checked)
}
