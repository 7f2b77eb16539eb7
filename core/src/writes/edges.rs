//! Planning edge writes: validation, customer resolution, the one-referrer rule, and mutual
//! kinds putting both directions.

use crate::error::{invalid, unknown_customer, Error, Result};
use crate::hash::HashMap;
use crate::names::normalize_name;
use crate::relations::{edge_kinds, EdgeData, EdgeInput, EdgeReport, Seen, StoredEdge};
use crate::state::{Changes, EdgeOp, PendingSymbols, State};
use crate::time::to_micros;

/// Plans a batch of edges: all of them or, on the first bad one, none. `now` is the time of
/// edges that give none.
pub(crate) fn plan_edges(
    state: &State,
    inputs: &[EdgeInput],
    now: i64,
) -> Result<(Changes, EdgeReport)> {
    let mut symbols = PendingSymbols::after(&state.symbols);
    let referred = state.symbols.get(edge_kinds::REFERRED);
    // Edges planned so far, by live ends and kind: position in `puts`.
    let mut planned: HashMap<(u32, u32, u32), usize> = HashMap::default();
    // Each source's stored edges by (other end, kind), read once per batch: a hub's list is
    // walked once, not once per edge put on it.
    let mut out_edges: HashMap<u32, HashMap<(u32, u32), Seen>> = HashMap::default();
    // Referrer chosen by this batch for each referred customer.
    let mut referrers: HashMap<u32, u32> = HashMap::default();
    let mut puts: Vec<StoredEdge> = Vec::new();
    // Whether each of `puts` is absent from the store (inserted without a lookup).
    let mut fresh: Vec<bool> = Vec::new();
    let mut report = EdgeReport::default();
    for (i, input) in inputs.iter().enumerate() {
        let field = |name: &str| format!("edges[{i}].{name}");
        let (source, target) = ends(state, &field, &input.source, &input.target)?;
        let kind = kind_name(|| field("kind"), &input.kind)?;
        if kind == edge_kinds::INTERACTED {
            return Err(invalid(
                field("kind"),
                "interacted edges are counted from events with a target; record events instead",
            ));
        }
        let weight = check_weight(&field("weight"), input.weight)?;
        let at = match input.at {
            Some(t) => to_micros(|| field("at"), t)?,
            None => now,
        };
        let symbol = symbols.id(&state.symbols, || field("kind"), &kind)?;
        if kind == edge_kinds::REFERRED {
            let existing = referred.and_then(|r| state.referrer_of(target, r));
            let chosen = *referrers
                .entry(target)
                .or_insert(existing.unwrap_or(source));
            if chosen != source {
                return Err(Error::Conflict {
                    reason: format!(
                        "edges[{i}]: customer {:?} was already referred by {:?}; a customer has \
                         one referrer",
                        input.target, state.customers[chosen as usize].id
                    ),
                });
            }
        }
        let mutual = edge_kinds::is_mutual(&kind);
        for (s, t) in [(source, target), (target, source)]
            .into_iter()
            .take(1 + mutual as usize)
        {
            let data = EdgeData {
                kind: symbol,
                weight,
                created_at: at,
            };
            match planned.get(&(s, t, symbol)) {
                Some(&p) => puts[p].data.weight = weight,
                None => {
                    let known = out_edges.entry(s).or_insert_with(|| {
                        let mut known = HashMap::default();
                        for seen in state.edges_at(s, true) {
                            known.entry((seen.other, seen.data.kind)).or_insert(seen);
                        }
                        known
                    });
                    let existing = known.get(&(t, symbol)).copied();
                    match existing {
                        Some(_) => report.updated += 1,
                        None => report.inserted += 1,
                    }
                    let (stored_s, stored_t) = existing.map_or((s, t), |e| e.stored);
                    let data = existing.map_or(data, |e| EdgeData { weight, ..e.data });
                    planned.insert((s, t, symbol), puts.len());
                    fresh.push(existing.is_none());
                    puts.push(StoredEdge {
                        source: stored_s,
                        target: stored_t,
                        data,
                    });
                }
            }
        }
    }
    let changes = Changes {
        symbols: symbols.into_names(),
        edges: puts
            .into_iter()
            .zip(fresh)
            .map(|(edge, new)| {
                if new {
                    EdgeOp::Insert(edge)
                } else {
                    EdgeOp::Put(edge)
                }
            })
            .collect(),
        ..Changes::default()
    };
    Ok((changes, report))
}

/// Plans removing the edge `source -> target` of `kind` (both directions for mutual
/// kinds); returns how many stored edges go.
pub(crate) fn plan_removal(
    state: &State,
    source: &str,
    target: &str,
    kind: &str,
) -> Result<(Changes, u64)> {
    let find = |id: &str| state.resolve(id).ok_or_else(|| unknown_customer(id));
    let (s, t) = (find(source)?, find(target)?);
    let kind = kind_name(|| "kind".to_string(), kind)?;
    if kind == edge_kinds::INTERACTED {
        return Err(invalid(
            "kind",
            "interacted edges are counted from events and cannot be removed",
        ));
    }
    let Some(symbol) = state.symbols.get(&kind) else {
        return Ok((Changes::default(), 0));
    };
    let mutual = edge_kinds::is_mutual(&kind);
    let edges: Vec<EdgeOp> = [(s, t), (t, s)]
        .into_iter()
        .take(1 + mutual as usize)
        .filter_map(|(a, b)| state.edge_between(a, b, symbol))
        .map(|e| EdgeOp::Remove {
            source: e.stored.0,
            target: e.stored.1,
            kind: symbol,
        })
        .collect();
    let removed = edges.len() as u64;
    Ok((
        Changes {
            edges,
            ..Changes::default()
        },
        removed,
    ))
}

/// Resolves both ends of an edge to live customers, which must differ; `field` names an
/// end's input field.
fn ends(
    state: &State,
    field: &dyn Fn(&str) -> String,
    source: &str,
    target: &str,
) -> Result<(u32, u32)> {
    let resolve = |name: &str, id: &str| {
        state
            .resolve(id)
            .ok_or_else(|| invalid(field(name), format!("unknown customer {id:?}")))
    };
    let (s, t) = (resolve("source", source)?, resolve("target", target)?);
    if s == t {
        return Err(invalid(
            field("target"),
            format!("{target:?} is the source customer; an edge joins two customers"),
        ));
    }
    Ok((s, t))
}

/// Normalises an edge kind name (the rules of event kinds).
pub(crate) fn kind_name(field: impl Fn() -> String, kind: &str) -> Result<String> {
    Ok(normalize_name(field, kind)?.into_owned())
}

fn check_weight(field: &str, weight: f64) -> Result<f32> {
    if weight.is_finite() && (0.0..=f64::from(f32::MAX)).contains(&weight) {
        Ok(weight as f32)
    } else {
        Err(invalid(
            field,
            format!("must be finite and from 0 to {}, got {weight}", f32::MAX),
        ))
    }
}
