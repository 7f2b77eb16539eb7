//! Small values across the boundary: typed attribute values, enum names (taken from the
//! core's serde names, so the binding never restates them) and JSON-like configuration.

use std::collections::BTreeMap;

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple,
};
use scrm::AttributeValue;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::errors::invalid;
use crate::time::{time_in, type_name};

/// Converts a Python value to an attribute value: `bool`, `int`, `float`, `str`, an aware
/// `datetime`, or a list (or tuple) of `str`.
pub fn attribute_in(
    value: &Bound<'_, PyAny>,
    field: &dyn Fn() -> String,
) -> PyResult<AttributeValue> {
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(AttributeValue::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return value
            .extract::<i64>()
            .map(AttributeValue::Int)
            .map_err(|_| invalid(field(), "integer outside the 64-bit range"));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Ok(AttributeValue::Float(f.value()));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(AttributeValue::String(value.extract()?));
    }
    if value.is_instance_of::<PyDateTime>() {
        return time_in(value, field).map(AttributeValue::Time);
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items = value
            .try_iter()?
            .enumerate()
            .map(|(i, item)| {
                let item = item?;
                item.extract::<String>().map_err(|_| {
                    invalid(
                        format!("{}[{i}]", field()),
                        format!("list items must be str, got {}", type_name(&item)),
                    )
                })
            })
            .collect::<PyResult<Vec<String>>>()?;
        return Ok(AttributeValue::List(items));
    }
    // Other number types (numpy's integers and floats) through `__index__` / `__float__`.
    if let Ok(i) = value.extract::<i64>() {
        return Ok(AttributeValue::Int(i));
    }
    if let Ok(f) = value.extract::<f64>() {
        return Ok(AttributeValue::Float(f));
    }
    Err(invalid(
        field(),
        format!(
            "expected str, int, float, bool, datetime or a list of str, got {}",
            type_name(value)
        ),
    ))
}

/// Converts a mapping of `str` keys to attribute values.
pub fn attributes_in(
    value: Option<&Bound<'_, PyAny>>,
    field: &dyn Fn() -> String,
) -> PyResult<BTreeMap<String, AttributeValue>> {
    let mut out = BTreeMap::new();
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(out);
    };
    let mapping = value.cast::<PyMapping>().map_err(|_| {
        invalid(
            field(),
            format!("expected a dict, got {}", type_name(value)),
        )
    })?;
    for item in mapping.items()?.iter() {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let key: String = key.extract().map_err(|_| {
            invalid(
                field(),
                format!("keys must be str, got {}", type_name(&key)),
            )
        })?;
        let path = || format!("{}.{key}", field());
        let value = attribute_in(&value, &path)?;
        out.insert(key, value);
    }
    Ok(out)
}

/// Converts an attribute value to Python (`datetime` in UTC for times).
pub fn attribute_out<'py>(py: Python<'py>, value: &AttributeValue) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        AttributeValue::String(s) => s.into_pyobject(py)?.into_any(),
        AttributeValue::Int(i) => i.into_pyobject(py)?.into_any(),
        AttributeValue::Float(f) => f.into_pyobject(py)?.into_any(),
        AttributeValue::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        AttributeValue::Time(t) => t.into_pyobject(py)?.into_any(),
        AttributeValue::List(items) => items.into_pyobject(py)?.into_any(),
    })
}

/// Converts a map of attribute values to a `dict`.
pub fn attributes_out<'py>(
    py: Python<'py>,
    values: &BTreeMap<String, AttributeValue>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, value) in values {
        dict.set_item(key, attribute_out(py, value)?)?;
    }
    Ok(dict)
}

/// The name of an enum value, as the core serialises it (`"kept_apart"`, `"inbound"`).
pub fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

/// Parses an enum value from its name, as the core deserialises it.
pub fn parse_name<T: DeserializeOwned>(text: &str, field: &dyn Fn() -> String) -> PyResult<T> {
    serde_json::from_value(Value::String(text.to_string()))
        .map_err(|e| invalid(field(), e.to_string()))
}

/// Parses an enum value from a Python `str`.
pub fn parse_name_py<T: DeserializeOwned>(
    value: &Bound<'_, PyAny>,
    field: &dyn Fn() -> String,
) -> PyResult<T> {
    let text: String = value
        .extract()
        .map_err(|_| invalid(field(), format!("expected str, got {}", type_name(value))))?;
    parse_name(&text, field)
}

/// Converts plain Python data (dicts with `str` keys, lists, tuples, `str`, numbers, bools,
/// None) to JSON, for configuration that the core deserialises itself.
pub fn json_in(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Value> {
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(Value::from(value.extract::<i64>()?));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Ok(Value::from(f.value()));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(Value::String(value.extract()?));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (key, item) in dict.iter() {
            let key: String = key
                .extract()
                .map_err(|_| invalid(field, "keys must be str"))?;
            let item = json_in(&item, &format!("{field}.{key}"))?;
            map.insert(key, item);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        return value
            .try_iter()?
            .map(|item| json_in(&item?, field))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    Err(invalid(
        field,
        format!(
            "expected plain data (dict, list, str, number, bool, None), got {}",
            type_name(value)
        ),
    ))
}

/// Converts JSON to plain Python data.
pub fn json_out<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_out(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, json_out(py, item)?)?;
            }
            dict.into_any()
        }
    })
}
