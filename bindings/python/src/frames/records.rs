//! The records of a table: one customer upsert, event or edge per row. The fields' columns
//! are found once by name; every other column of a customer or event table is an attribute
//! or property, and an edge table has no other columns.

use std::collections::BTreeMap;

use pyo3::prelude::*;
use pyo3::types::PyMapping;
use scrm::{AttributeValue, CustomerInput, EdgeInput, EventInput, Identity, PurchaseSummary};

use super::{Frame, Value};
use crate::errors::invalid;
use crate::inputs::{string_in, strings_in, EDGE_KEYS, EVENT_KEYS};

/// The columns of a customer table that are fields (the others are attributes).
const CUSTOMER_COLUMNS: [&str; 3] = ["id", "anonymous", "at"];

/// One row being read: its cells by column, with the row's path for errors.
struct Row<'a, 't, 'py> {
    table: &'t Frame<'py>,
    name: &'a str,
    index: usize,
}

impl<'t, 'py> Row<'_, 't, 'py> {
    /// The path of one of the row's fields (`events[3].amount`).
    fn path(&self, key: &str) -> String {
        format!("{}[{}].{key}", self.name, self.index)
    }

    /// The present cell of `column` (None when the table has no such column).
    fn get(&self, column: Option<usize>, key: &str) -> PyResult<Option<Value<'t, 'py>>> {
        match column {
            Some(c) => self.table.cell(c, self.index, &|| self.path(key)),
            None => Ok(None),
        }
    }

    /// A required cell.
    fn require(&self, column: Option<usize>, key: &str) -> PyResult<Value<'t, 'py>> {
        self.get(column, key)?
            .ok_or_else(|| invalid(self.path(key), "is required"))
    }

    /// A required `str` cell.
    fn text(&self, column: Option<usize>, key: &str) -> PyResult<String> {
        self.require(column, key)?.text(&|| self.path(key))
    }

    /// The present cells of `columns` as a map of attribute values under `key`.
    fn attributes(
        &self,
        columns: &[(usize, &str)],
        key: &str,
    ) -> PyResult<BTreeMap<String, AttributeValue>> {
        let mut out = BTreeMap::new();
        for &(c, name) in columns {
            let path = || format!("{}.{name}", self.path(key));
            if let Some(value) = self.table.cell(c, self.index, &path)? {
                out.insert(name.to_string(), value.attribute(&path)?);
            }
        }
        Ok(out)
    }
}

/// Calls `read` on every row of `table`, in order.
fn each_row<T>(
    table: &Frame<'_>,
    name: &str,
    read: impl Fn(&Row<'_, '_, '_>) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    (0..table.rows())
        .map(|index| read(&Row { table, name, index }))
        .collect()
}

/// The columns of `table` not in `fields` nor `also`, with their names.
fn others<'t>(table: &'t Frame<'_>, fields: &[&str], also: &[&str]) -> Vec<(usize, &'t str)> {
    table
        .names()
        .enumerate()
        .filter(|(_, n)| !fields.contains(n) && !also.contains(n))
        .collect()
}

/// One customer upsert per row: columns `id` (required), `anonymous` and `at`; the
/// `identities` columns (column name, channel) as identities; the rest as attributes.
pub fn customers(
    table: &Frame<'_>,
    identities: &[(String, String)],
) -> PyResult<Vec<CustomerInput>> {
    reject_nested(
        table,
        "customers",
        &["attributes", "identities", "remove_attributes"],
    )?;
    let [id, anonymous, at] = CUSTOMER_COLUMNS.map(|c| table.position(c));
    let identity_columns: Vec<(usize, &str)> = identities
        .iter()
        .filter_map(|(column, channel)| Some((table.position(column)?, channel.as_str())))
        .collect();
    let names: Vec<&str> = identities.iter().map(|(c, _)| c.as_str()).collect();
    let attributes = others(table, &CUSTOMER_COLUMNS, &names);
    each_row(table, "customers", |row| {
        let mut found = Vec::new();
        for (k, &(c, channel)) in identity_columns.iter().enumerate() {
            let key = format!("identities[{k}]");
            if let Some(value) = row.get(Some(c), &key)? {
                found.push(Identity {
                    channel: channel.to_string(),
                    value: value.text(&|| format!("{}.value", row.path(&key)))?,
                });
            }
        }
        Ok(CustomerInput {
            id: row.text(id, "id")?,
            anonymous: row
                .get(anonymous, "anonymous")?
                .map(|v| v.flag(&|| row.path("anonymous")))
                .transpose()?,
            attributes: row.attributes(&attributes, "attributes")?,
            remove_attributes: Vec::new(),
            identities: found,
            at: row
                .get(at, "at")?
                .map(|v| v.time(&|| row.path("at")))
                .transpose()?,
        })
    })
}

/// One event per row: columns `customer`, `kind`, `channel` and `at` (required),
/// `direction`, `amount`, `target` and `idempotency_key`; the rest as properties.
pub fn events(table: &Frame<'_>) -> PyResult<Vec<EventInput>> {
    reject_nested(table, "events", &["properties"])?;
    // No column is called `properties` (rejected above): the other columns are.
    let [customer, kind, channel, direction, at, amount, target, _, key] =
        EVENT_KEYS.map(|c| table.position(c));
    let properties = others(table, &EVENT_KEYS, &[]);
    each_row(table, "events", |row| {
        let optional_text = |column, key| {
            row.get(column, key)?
                .map(|v| v.text(&|| row.path(key)))
                .transpose()
        };
        Ok(EventInput {
            customer: row.text(customer, "customer")?,
            kind: row.text(kind, "kind")?,
            channel: row.text(channel, "channel")?,
            direction: match row.get(direction, "direction")? {
                Some(v) => v.name(&|| row.path("direction"))?,
                None => Default::default(),
            },
            at: row.require(at, "at")?.time(&|| row.path("at"))?,
            amount: row
                .get(amount, "amount")?
                .map(|v| v.number(&|| row.path("amount")))
                .transpose()?,
            target: optional_text(target, "target")?,
            properties: row.attributes(&properties, "properties")?,
            idempotency_key: optional_text(key, "idempotency_key")?,
        })
    })
}

/// One edge per row: columns `source`, `target` and `kind` (required), `weight` and `at`
/// (a missing cell takes the default); no other column.
pub fn edges(table: &Frame<'_>) -> PyResult<Vec<EdgeInput>> {
    if let Some((_, column)) = others(table, &EDGE_KEYS, &[]).first() {
        return Err(invalid(
            format!("edges.{column}"),
            format!("unknown column; expected some of {}", EDGE_KEYS.join(", ")),
        ));
    }
    let [source, target, kind, weight, at] = EDGE_KEYS.map(|c| table.position(c));
    each_row(table, "edges", |row| {
        let mut edge = EdgeInput::new(
            row.text(source, "source")?,
            row.text(target, "target")?,
            &row.text(kind, "kind")?,
        );
        if let Some(w) = row.get(weight, "weight")? {
            edge = edge.weight(w.number(&|| row.path("weight"))?);
        }
        edge.at = row
            .get(at, "at")?
            .map(|v| v.time(&|| row.path("at")))
            .transpose()?;
        Ok(edge)
    })
}

/// One purchase summary per row: columns `frequency`, `recency` and `t` (or lifetimes' `T`),
/// and `monetary` (or lifetimes' `monetary_value`; 0 when there is none). Other columns
/// (`ids`) are ignored.
pub fn summaries(table: &Frame<'_>) -> PyResult<Vec<PurchaseSummary>> {
    let either = |a: &str, b: &str| table.position(a).or_else(|| table.position(b));
    let (frequency, recency) = (table.position("frequency"), table.position("recency"));
    let (t, monetary) = (either("t", "T"), either("monetary", "monetary_value"));
    each_row(table, "summaries", |row| {
        let number = |column, key| row.require(column, key)?.number(&|| row.path(key));
        Ok(PurchaseSummary {
            frequency: number(frequency, "frequency")?,
            recency: number(recency, "recency")?,
            t: number(t, "t")?,
            monetary: match row.get(monetary, "monetary")? {
                Some(v) => v.number(&|| row.path("monetary"))?,
                None => 0.0,
            },
        })
    })
}

/// Columns that cannot come from a table (nested values): named so the error says why.
fn reject_nested(table: &Frame<'_>, name: &str, nested: &[&str]) -> PyResult<()> {
    match table.names().find(|c| nested.contains(c)) {
        Some(column) => Err(invalid(
            format!("{name}.{column}"),
            "not a column: other columns are the attributes or properties",
        )),
        None => Ok(()),
    }
}

/// The identity columns of a customer table: a dict of column name to channel, or a list of
/// column names that are channel names (`["phone", "email"]`).
pub fn identity_columns(
    value: Option<&Bound<'_, PyAny>>,
    table: &Frame<'_>,
) -> PyResult<Vec<(String, String)>> {
    let field = || "identities".to_string();
    let pairs = match value {
        None => return Ok(Vec::new()),
        Some(v) if v.is_none() => return Ok(Vec::new()),
        Some(v) => match v.cast::<PyMapping>() {
            Ok(mapping) => mapping
                .items()?
                .iter()
                .map(|item| {
                    let (column, channel): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
                    Ok((string_in(&column, &field)?, string_in(&channel, &field)?))
                })
                .collect::<PyResult<Vec<_>>>()?,
            Err(_) => strings_in(v, &field)?
                .into_iter()
                .map(|c| (c.clone(), c))
                .collect(),
        },
    };
    for (column, _) in &pairs {
        if table.position(column).is_none() {
            return Err(invalid(
                field(),
                format!("the table has no column {column:?}"),
            ));
        }
    }
    Ok(pairs)
}
