//! Times across the boundary: aware `datetime` objects in (naive ones are a validation
//! error), `datetime` objects in UTC (`tzinfo=datetime.timezone.utc`) out; periods in as
//! `timedelta` objects or numbers of days.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDateAccess, PyDateTime, PyTimeAccess, PyTzInfo, PyTzInfoAccess};
use scrm::Timestamp;

use crate::errors::invalid;

/// Converts an aware `datetime` (any timezone) to a UTC timestamp. `field` names the input
/// in the validation error raised for anything else, naive datetimes included.
pub fn time_in(value: &Bound<'_, PyAny>, field: impl Fn() -> String) -> PyResult<Timestamp> {
    let py = value.py();
    let Ok(dt) = value.cast::<PyDateTime>() else {
        return Err(invalid(
            field(),
            format!("expected a datetime, got {}", type_name(value)),
        ));
    };
    let utc_tz = PyTzInfo::utc(py)?;
    let offset = match dt.get_tzinfo() {
        Some(tz) if tz.is(&*utc_tz) => TimeDelta::zero(),
        _ => {
            let offset = dt.call_method0(intern!(py, "utcoffset"))?;
            if offset.is_none() {
                return Err(invalid(
                    field(),
                    "naive datetime: give it a timezone, e.g. tzinfo=datetime.timezone.utc",
                ));
            }
            offset.extract::<TimeDelta>()?
        }
    };
    let date = NaiveDate::from_ymd_opt(dt.get_year(), dt.get_month().into(), dt.get_day().into());
    let time = NaiveTime::from_hms_micro_opt(
        dt.get_hour().into(),
        dt.get_minute().into(),
        dt.get_second().into(),
        dt.get_microsecond(),
    );
    let local = match (date, time) {
        (Some(date), Some(time)) => NaiveDateTime::new(date, time),
        _ => return Err(invalid(field(), "datetime out of range")),
    };
    local
        .checked_sub_signed(offset)
        .map(|t| t.and_utc())
        .ok_or_else(|| invalid(field(), "datetime out of range"))
}

/// An optional time: `None` stays `None`.
pub fn opt_time_in(
    value: Option<&Bound<'_, PyAny>>,
    field: impl Fn() -> String,
) -> PyResult<Option<Timestamp>> {
    match value {
        Some(v) if !v.is_none() => time_in(v, field).map(Some),
        _ => Ok(None),
    }
}

/// The Python type name of a value, for error messages.
pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_string(), |n| n.to_string())
}

/// A period: a `datetime.timedelta`, or a number of days (`int` or `float`, so `1` is a day
/// and `1 / 24` an hour). `field` names it in the validation error for anything else; whether
/// it is positive is the core's check.
pub fn period_in(value: &Bound<'_, PyAny>, field: impl Fn() -> String) -> PyResult<TimeDelta> {
    if let Ok(delta) = value.extract::<TimeDelta>() {
        return Ok(delta);
    }
    if value.is_instance_of::<PyBool>() {
        return Err(invalid(
            field(),
            "expected a timedelta or a number of days, got bool",
        ));
    }
    let days: f64 = value.extract().map_err(|_| {
        invalid(
            field(),
            format!(
                "expected a timedelta or a number of days, got {}",
                type_name(value)
            ),
        )
    })?;
    let micros = days * 86_400e6;
    if !micros.is_finite() || micros.abs() > i64::MAX as f64 / 2.0 {
        return Err(invalid(field(), format!("{days} days is out of range")));
    }
    Ok(TimeDelta::microseconds(micros.round() as i64))
}
