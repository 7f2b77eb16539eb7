//! Planning an event batch: validation, customer resolution and idempotency.

use crate::error::{invalid, Result};
use crate::event::{EventInput, EventRow, IngestReport};
use crate::hash::HashSet;
use crate::state::{Changes, NewEvent, PendingSymbols, State};

/// Validates a batch and returns the events to append. Any bad event fails the whole batch.
pub(crate) fn plan_events(state: &State, inputs: &[EventInput]) -> Result<(Changes, IngestReport)> {
    let mut symbols = PendingSymbols::after(&state.symbols);
    let mut batch_keys: HashSet<&str> = HashSet::default();
    let mut events = Vec::with_capacity(inputs.len());
    let mut report = IngestReport::default();
    for (i, input) in inputs.iter().enumerate() {
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
        let kind = symbols.id(&state.symbols, || format!("events[{i}].kind"), &kind)?;
        let channel = symbols.id(&state.symbols, || format!("events[{i}].channel"), &channel)?;
        if let Some(key) = input.idempotency_key.as_deref() {
            if state.events.has_key(key) || !batch_keys.insert(key) {
                report.duplicates += 1;
                continue;
            }
        }
        events.push(NewEvent {
            row: EventRow {
                customer,
                kind,
                channel,
                direction: input.direction,
                at,
                amount: input.amount,
                target,
            },
            properties: input.properties.clone(),
            key: input.idempotency_key.as_deref().map(Box::from),
        });
    }
    if u32::try_from(state.events.len() + events.len()).is_err() {
        return Err(invalid("events", "the log is full (2^32 events)"));
    }
    report.inserted = events.len() as u64;
    let changes = Changes {
        symbols: symbols.into_names(),
        events,
        ..Changes::default()
    };
    Ok((changes, report))
}
