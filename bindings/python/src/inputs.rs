//! Records from Python: customer upserts, events and edges given as `dict`s (the keyword
//! arguments of `upsert_customer`, `record_event` and `add_edge` go through the same path;
//! an edge may also be a `(source, target, kind[, weight[, at]])` tuple). Keys are the Rust
//! field names; a key set to None counts as absent; an unknown key or a value of the wrong type
//! is a `ValidationError` naming the field, with the same paths the core uses (`customer.at`,
//! `customers[2].identities[0]`, `events[3].amount`). The nested parts of a referral
//! programme and policy (trigger, caps, milestones, allowance) are read here too, under the
//! paths the core gives them (`programme.caps.budget`, `policy.allowance.unit`), and so are
//! the lifecycle's scoring weights (`scoring.weights[2].weight`) and ladder stages
//! (`stages[1].rule`).

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple};
use scrm::{
    Allowance, Caps, CustomerInput, EdgeInput, EventInput, EventWeight, Identity, Milestone,
    Trigger,
};

use crate::errors::invalid;
use crate::time::{opt_time_in, time_in, type_name};
use crate::values::{attributes_in, json_in, parse_name_py};

/// The keys of a customer record.
pub const CUSTOMER_KEYS: [&str; 6] = [
    "id",
    "anonymous",
    "attributes",
    "remove_attributes",
    "identities",
    "at",
];

/// The keys of an event record.
pub const EVENT_KEYS: [&str; 9] = [
    "customer",
    "kind",
    "channel",
    "direction",
    "at",
    "amount",
    "target",
    "properties",
    "idempotency_key",
];

/// The keys of an edge record, in the order of the tuple form.
pub const EDGE_KEYS: [&str; 5] = ["source", "target", "kind", "weight", "at"];

/// A `dict` being read: counts the keys it knows, so unknown ones are found cheaply.
struct Record<'a, 'py> {
    dict: &'a Bound<'py, PyDict>,
    field: &'a dyn Fn() -> String,
    known: usize,
}

impl<'a, 'py> Record<'a, 'py> {
    fn new(value: &'a Bound<'py, PyAny>, field: &'a dyn Fn() -> String) -> PyResult<Self> {
        let dict = value.cast::<PyDict>().map_err(|_| {
            invalid(
                field(),
                format!("expected a dict, got {}", type_name(value)),
            )
        })?;
        Ok(Record {
            dict,
            field,
            known: 0,
        })
    }

    /// The value of a key, `None` when absent or None.
    fn get(&mut self, key: &Bound<'py, PyString>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let value = self.dict.get_item(key)?;
        self.known += usize::from(value.is_some());
        Ok(value.filter(|v| !v.is_none()))
    }

    /// A required value.
    fn require(&mut self, key: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
        match self.get(key)? {
            Some(value) => Ok(value),
            None => Err(invalid(self.path(key), "is required")),
        }
    }

    fn path(&self, key: &Bound<'py, PyString>) -> String {
        format!("{}.{key}", (self.field)())
    }

    /// Fails on the first key that is not one of `keys`.
    fn finish(&self, keys: &[&str]) -> PyResult<()> {
        if self.known == self.dict.len() {
            return Ok(());
        }
        for key in self.dict.keys() {
            let name = key.extract::<String>().unwrap_or_else(|_| format!("{key}"));
            if !keys.contains(&name.as_str()) {
                return Err(invalid(
                    format!("{}.{name}", (self.field)()),
                    format!("unknown key; expected one of {}", keys.join(", ")),
                ));
            }
        }
        Ok(())
    }
}

/// A `str`, or a validation error at `field`.
pub fn string_in(value: &Bound<'_, PyAny>, field: &dyn Fn() -> String) -> PyResult<String> {
    value
        .extract::<String>()
        .map_err(|_| invalid(field(), format!("expected str, got {}", type_name(value))))
}

/// A number (`int`, `float` or anything with `__float__`) as `f64`.
pub fn float_in(value: &Bound<'_, PyAny>, field: &dyn Fn() -> String) -> PyResult<f64> {
    value.extract::<f64>().map_err(|_| {
        invalid(
            field(),
            format!("expected a number, got {}", type_name(value)),
        )
    })
}

/// An `int` that fits `T` (points, counts, percents).
pub fn int_in<T: TryFrom<i64>>(
    value: &Bound<'_, PyAny>,
    field: &dyn Fn() -> String,
) -> PyResult<T> {
    if value.is_instance_of::<PyBool>() {
        return Err(invalid(field(), "expected an int, got bool"));
    }
    let int = value.extract::<i64>().map_err(|_| {
        invalid(
            field(),
            format!("expected an int, got {}", type_name(value)),
        )
    })?;
    T::try_from(int).map_err(|_| invalid(field(), format!("{int} is out of range")))
}

/// A list (or other iterable, but not a `str`) of `str`.
pub fn strings_in(value: &Bound<'_, PyAny>, field: &dyn Fn() -> String) -> PyResult<Vec<String>> {
    if value.is_instance_of::<PyString>() {
        return Err(invalid(field(), "expected a list of str, got a str"));
    }
    value
        .try_iter()
        .map_err(|_| {
            invalid(
                field(),
                format!("expected a list of str, got {}", type_name(value)),
            )
        })?
        .enumerate()
        .map(|(i, item)| string_in(&item?, &|| format!("{}[{i}]", field())))
        .collect()
}

/// One identity: `{"channel": ..., "value": ...}` or a `(channel, value)` pair.
fn identity_in(value: &Bound<'_, PyAny>, field: &dyn Fn() -> String) -> PyResult<Identity> {
    let py = value.py();
    if value.is_instance_of::<PyTuple>() || value.is_instance_of::<PyList>() {
        let (channel, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = value
            .extract()
            .map_err(|_| invalid(field(), "expected a (channel, value) pair"))?;
        return Ok(Identity {
            channel: string_in(&channel, &|| format!("{}.channel", field()))?,
            value: string_in(&value, &|| format!("{}.value", field()))?,
        });
    }
    let mut record = Record::new(value, field)?;
    let channel_key = intern!(py, "channel");
    let value_key = intern!(py, "value");
    let channel = record.require(channel_key)?;
    let value = record.require(value_key)?;
    record.finish(&["channel", "value"])?;
    Ok(Identity {
        channel: string_in(&channel, &|| record.path(channel_key))?,
        value: string_in(&value, &|| record.path(value_key))?,
    })
}

/// A customer record (see [`CUSTOMER_KEYS`]).
pub fn customer_in(
    value: &Bound<'_, PyAny>,
    field: &dyn Fn() -> String,
) -> PyResult<CustomerInput> {
    let py = value.py();
    let mut r = Record::new(value, field)?;
    let id = r.require(intern!(py, "id"))?;
    let anonymous = r.get(intern!(py, "anonymous"))?;
    let attributes = r.get(intern!(py, "attributes"))?;
    let remove_attributes = r.get(intern!(py, "remove_attributes"))?;
    let identities = r.get(intern!(py, "identities"))?;
    let at = r.get(intern!(py, "at"))?;
    r.finish(&CUSTOMER_KEYS)?;
    let sub = |key: &'static str| move || format!("{}.{key}", field());
    Ok(CustomerInput {
        id: string_in(&id, &sub("id"))?,
        anonymous: anonymous
            .map(|v| {
                v.extract::<bool>().map_err(|_| {
                    invalid(
                        sub("anonymous")(),
                        format!("expected bool, got {}", type_name(&v)),
                    )
                })
            })
            .transpose()?,
        attributes: attributes_in(attributes.as_ref(), &sub("attributes"))?,
        remove_attributes: match remove_attributes {
            Some(v) => strings_in(&v, &sub("remove_attributes"))?,
            None => Vec::new(),
        },
        identities: match identities {
            Some(v) => identities_in(&v, &sub("identities"))?,
            None => Vec::new(),
        },
        at: opt_time_in(at.as_ref(), sub("at"))?,
    })
}

fn identities_in(value: &Bound<'_, PyAny>, field: &dyn Fn() -> String) -> PyResult<Vec<Identity>> {
    items_in(value, field, identity_in)
}

/// An event record (see [`EVENT_KEYS`]).
pub fn event_in(value: &Bound<'_, PyAny>, field: &dyn Fn() -> String) -> PyResult<EventInput> {
    let py = value.py();
    let mut r = Record::new(value, field)?;
    let customer = r.require(intern!(py, "customer"))?;
    let kind = r.require(intern!(py, "kind"))?;
    let channel = r.require(intern!(py, "channel"))?;
    let direction = r.get(intern!(py, "direction"))?;
    let at = r.require(intern!(py, "at"))?;
    let amount = r.get(intern!(py, "amount"))?;
    let target = r.get(intern!(py, "target"))?;
    let properties = r.get(intern!(py, "properties"))?;
    let idempotency_key = r.get(intern!(py, "idempotency_key"))?;
    r.finish(&EVENT_KEYS)?;
    let sub = |key: &'static str| move || format!("{}.{key}", field());
    Ok(EventInput {
        customer: string_in(&customer, &sub("customer"))?,
        kind: string_in(&kind, &sub("kind"))?,
        channel: string_in(&channel, &sub("channel"))?,
        direction: match direction {
            Some(v) => parse_name_py(&v, &sub("direction"))?,
            None => Default::default(),
        },
        at: time_in(&at, sub("at"))?,
        amount: amount.map(|v| float_in(&v, &sub("amount"))).transpose()?,
        target: target.map(|v| string_in(&v, &sub("target"))).transpose()?,
        properties: attributes_in(properties.as_ref(), &sub("properties"))?,
        idempotency_key: idempotency_key
            .map(|v| string_in(&v, &sub("idempotency_key")))
            .transpose()?,
    })
}

/// An edge record (see [`EDGE_KEYS`]) or a `(source, target, kind[, weight[, at]])` tuple.
/// A missing weight is the core's default (1), a missing `at` the engine clock.
pub fn edge_in<'py>(value: &Bound<'py, PyAny>, field: &dyn Fn() -> String) -> PyResult<EdgeInput> {
    let py = value.py();
    let sub = |key: &'static str| move || format!("{}.{key}", field());
    let (source, target, kind, weight, at) = if value.is_instance_of::<PyTuple>() {
        let items: Vec<Bound<'py, PyAny>> = value.try_iter()?.collect::<PyResult<_>>()?;
        if !(3..=5).contains(&items.len()) {
            return Err(invalid(
                field(),
                format!(
                    "expected a (source, target, kind[, weight[, at]]) tuple, got {} items",
                    items.len()
                ),
            ));
        }
        let mut items = items.into_iter();
        let mut next = || items.next().filter(|v| !v.is_none());
        let (source, target, kind) = (next(), next(), next());
        let required = |v: Option<Bound<'py, PyAny>>, key: &'static str| {
            v.ok_or_else(|| invalid(sub(key)(), "is required"))
        };
        (
            required(source, "source")?,
            required(target, "target")?,
            required(kind, "kind")?,
            next(),
            next(),
        )
    } else {
        let mut r = Record::new(value, field)?;
        let source = r.require(intern!(py, "source"))?;
        let target = r.require(intern!(py, "target"))?;
        let kind = r.require(intern!(py, "kind"))?;
        let weight = r.get(intern!(py, "weight"))?;
        let at = r.get(intern!(py, "at"))?;
        r.finish(&EDGE_KEYS)?;
        (source, target, kind, weight, at)
    };
    let mut edge = EdgeInput::new(
        string_in(&source, &sub("source"))?,
        string_in(&target, &sub("target"))?,
        &string_in(&kind, &sub("kind"))?,
    );
    if let Some(w) = weight {
        edge = edge.weight(float_in(&w, &sub("weight"))?);
    }
    edge.at = opt_time_in(at.as_ref(), sub("at"))?;
    Ok(edge)
}

/// Converts each item of an iterable of records; `name` is the batch's path (`customers`).
pub fn batch_in<T>(
    values: &Bound<'_, PyAny>,
    name: &str,
    convert: impl Fn(&Bound<'_, PyAny>, &dyn Fn() -> String) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    if values.is_instance_of::<PyDict>() || values.is_instance_of::<PyString>() {
        return Err(invalid(name, "expected a list of records (dicts)"));
    }
    let iter = values
        .try_iter()
        .map_err(|_| invalid(name, format!("expected a list, got {}", type_name(values))))?;
    let mut out = Vec::with_capacity(values.len().unwrap_or(0));
    for (i, item) in iter.enumerate() {
        out.push(convert(&item?, &|| format!("{name}[{i}]"))?);
    }
    Ok(out)
}

/// Runs `f` over the items of a list (or other iterable, but not a `str` or a `dict`), each
/// with its path `field[i]`.
fn items_in<T>(
    value: &Bound<'_, PyAny>,
    field: &dyn Fn() -> String,
    convert: impl Fn(&Bound<'_, PyAny>, &dyn Fn() -> String) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyDict>() {
        return Err(invalid(
            field(),
            format!("expected a list, got {}", type_name(value)),
        ));
    }
    value
        .try_iter()
        .map_err(|_| {
            invalid(
                field(),
                format!("expected a list, got {}", type_name(value)),
            )
        })?
        .enumerate()
        .map(|(i, item)| convert(&item?, &|| format!("{}[{i}]", field())))
        .collect()
}

/// A programme's trigger: `"signup"` or `"first_purchase"`; `{"purchase": min_amount}` or
/// `{"event": kind}`; or the core's own form, which programmes() returns (`{"type":
/// "purchase", "min_amount": 100.0}`).
pub fn trigger_in(value: &Bound<'_, PyAny>, field: &dyn Fn() -> String) -> PyResult<Trigger> {
    let tagged = if value.is_instance_of::<PyString>() {
        serde_json::json!({ "type": string_in(value, field)? })
    } else {
        let dict = value.cast::<PyDict>().map_err(|_| {
            invalid(
                field(),
                format!("expected a str or a dict, got {}", type_name(value)),
            )
        })?;
        if dict.contains("type")? {
            json_in(value, &field())?
        } else {
            let mut items = dict.iter();
            let (Some((key, inner)), None) = (items.next(), items.next()) else {
                return Err(invalid(
                    field(),
                    "expected {\"purchase\": min_amount} or {\"event\": kind}",
                ));
            };
            let key = string_in(&key, field)?;
            let sub = || format!("{}.{key}", field());
            return match key.as_str() {
                "purchase" => Ok(Trigger::Purchase {
                    min_amount: float_in(&inner, &sub)?,
                }),
                "event" => Ok(Trigger::Event {
                    kind: string_in(&inner, &sub)?,
                }),
                _ => Err(invalid(
                    sub(),
                    "unknown trigger; expected purchase or event",
                )),
            };
        }
    };
    serde_json::from_value(tagged).map_err(|e| invalid(field(), e.to_string()))
}

/// A programme's caps: a dict with some of `per_referrer_day`, `per_referrer_month` and
/// `budget` (points); None for no caps.
pub fn caps_in(value: Option<&Bound<'_, PyAny>>, field: &dyn Fn() -> String) -> PyResult<Caps> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Caps::default());
    };
    let py = value.py();
    let mut r = Record::new(value, field)?;
    let day = r.get(intern!(py, "per_referrer_day"))?;
    let month = r.get(intern!(py, "per_referrer_month"))?;
    let budget = r.get(intern!(py, "budget"))?;
    r.finish(&["per_referrer_day", "per_referrer_month", "budget"])?;
    let cap = |v: Option<Bound<'_, PyAny>>, key: &'static str| {
        v.map(|v| int_in(&v, &|| format!("{}.{key}", field())))
            .transpose()
    };
    Ok(Caps {
        per_referrer_day: cap(day, "per_referrer_day")?,
        per_referrer_month: cap(month, "per_referrer_month")?,
        budget: cap(budget, "budget")?,
    })
}

/// A programme's share per level: a list of percents.
pub fn percents_in(value: &Bound<'_, PyAny>, field: &dyn Fn() -> String) -> PyResult<Vec<u32>> {
    items_in(value, field, int_in)
}

/// A programme's milestones: a list of `(referrals, points)` pairs or `{"referrals",
/// "points"}` dicts.
pub fn milestones_in(
    value: Option<&Bound<'_, PyAny>>,
    field: &dyn Fn() -> String,
) -> PyResult<Vec<Milestone>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    items_in(value, field, |item, field| {
        let py = item.py();
        let (referrals, points) =
            if item.is_instance_of::<PyTuple>() || item.is_instance_of::<PyList>() {
                item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()
                    .map_err(|_| invalid(field(), "expected a (referrals, points) pair"))?
            } else {
                let mut r = Record::new(item, field)?;
                let referrals = r.require(intern!(py, "referrals"))?;
                let points = r.require(intern!(py, "points"))?;
                r.finish(&["referrals", "points"])?;
                (referrals, points)
            };
        Ok(Milestone {
            referrals: int_in(&referrals, &|| format!("{}.referrals", field()))?,
            points: int_in(&points, &|| format!("{}.points", field()))?,
        })
    })
}

/// The policy's allowance: `{"limit", "unit", "window"}`, or None for none.
pub fn allowance_in(
    value: Option<&Bound<'_, PyAny>>,
    field: &dyn Fn() -> String,
) -> PyResult<Option<Allowance>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let py = value.py();
    let mut r = Record::new(value, field)?;
    let limit = r.require(intern!(py, "limit"))?;
    let unit = r.require(intern!(py, "unit"))?;
    let window = r.require(intern!(py, "window"))?;
    r.finish(&["limit", "unit", "window"])?;
    let sub = |key: &'static str| move || format!("{}.{key}", field());
    Ok(Some(Allowance {
        limit: int_in(&limit, &sub("limit"))?,
        unit: parse_name_py(&unit, &sub("unit"))?,
        window: parse_name_py(&window, &sub("window"))?,
    }))
}

/// The keys of a scoring weight.
pub const WEIGHT_KEYS: [&str; 3] = ["kind", "direction", "weight"];

/// Scoring weights: a list of `{"kind", "direction", "weight"}` dicts (`direction` optional,
/// the core's default inbound), as scoring() returns them, or of `(kind, weight[,
/// direction])` tuples. Whether the weights are valid is the core's check.
pub fn weights_in(
    value: &Bound<'_, PyAny>,
    field: &dyn Fn() -> String,
) -> PyResult<Vec<EventWeight>> {
    items_in(value, field, |item, field| {
        let py = item.py();
        let sub = |key: &'static str| move || format!("{}.{key}", field());
        let (kind, weight, direction) =
            if item.is_instance_of::<PyTuple>() || item.is_instance_of::<PyList>() {
                let items: Vec<Bound<'_, PyAny>> = item.try_iter()?.collect::<PyResult<_>>()?;
                if !(2..=3).contains(&items.len()) {
                    return Err(invalid(
                        field(),
                        "expected a (kind, weight[, direction]) tuple",
                    ));
                }
                let mut items = items.into_iter();
                let (kind, weight) = (items.next(), items.next());
                (
                    kind.filter(|v| !v.is_none())
                        .ok_or_else(|| invalid(sub("kind")(), "is required"))?,
                    weight
                        .filter(|v| !v.is_none())
                        .ok_or_else(|| invalid(sub("weight")(), "is required"))?,
                    items.next().filter(|v| !v.is_none()),
                )
            } else {
                let mut r = Record::new(item, field)?;
                let kind = r.require(intern!(py, "kind"))?;
                let direction = r.get(intern!(py, "direction"))?;
                let weight = r.require(intern!(py, "weight"))?;
                r.finish(&WEIGHT_KEYS)?;
                (kind, weight, direction)
            };
        let mut out = EventWeight::new(
            string_in(&kind, &sub("kind"))?,
            float_in(&weight, &sub("weight"))?,
        );
        if let Some(d) = direction {
            out.direction = parse_name_py(&d, &sub("direction"))?;
        }
        Ok(out)
    })
}

/// A ladder's stages, lowest first: a list of `(name, rule)` pairs or `{"name", "rule"}`
/// dicts; a bare `str` is a stage without a rule (the first one). Whether the stages are
/// valid is the core's check.
pub fn stages_in(
    value: &Bound<'_, PyAny>,
    field: &dyn Fn() -> String,
) -> PyResult<Vec<(String, String)>> {
    items_in(value, field, |item, field| {
        let py = item.py();
        let sub = |key: &'static str| move || format!("{}.{key}", field());
        if item.is_instance_of::<PyString>() {
            return Ok((string_in(item, field)?, String::new()));
        }
        let (name, rule) = if item.is_instance_of::<PyTuple>() || item.is_instance_of::<PyList>() {
            item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()
                .map_err(|_| invalid(field(), "expected a (name, rule) pair"))?
        } else {
            let mut r = Record::new(item, field)?;
            let name = r.require(intern!(py, "name"))?;
            let rule = r.get(intern!(py, "rule"))?;
            r.finish(&["name", "rule"])?;
            (
                name,
                rule.unwrap_or_else(|| PyString::new(py, "").into_any()),
            )
        };
        let rule = match rule.is_none() {
            true => String::new(),
            false => string_in(&rule, &sub("rule"))?,
        };
        Ok((string_in(&name, &sub("name"))?, rule))
    })
}
