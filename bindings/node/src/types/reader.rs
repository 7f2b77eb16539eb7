//! Reading plain JavaScript objects field by field, for the inputs that come in large
//! batches. napi's derived readers make a JavaScript string of each key for every object and
//! field; here the keys are made once per call ([`Keys`]) and a batch reads its array with
//! them, so a field costs one property lookup. Strings are read in one call through a stack
//! buffer when they are short, numbers and `Date`s in one call when they are what is expected.
//!
//! Each item of a batch is read in a handle scope of its own.
//!
//! A key whose value is `undefined` or `null` is absent. Errors are napi's `InvalidArg`
//! naming the object's path and the key (`events[3].customer: expected
//! a string, got number`; `Missing field \`at\``), like the derived readers' errors.

use std::ffi::c_char;
use std::ptr;

use napi::bindgen_prelude::FromNapiValue;
use napi::{sys, Status, ValueType};

use super::time::type_name;

/// Bytes of the stack buffer short strings are read through.
const SHORT: usize = 128;

/// The keys of an object type as JavaScript strings, made once for the current call.
pub struct Keys {
    env: sys::napi_env,
    names: &'static [&'static str],
    values: Vec<sys::napi_value>,
}

impl Keys {
    /// Makes the keys `names` in `env`, as the engine's internalised strings: they are set
    /// as properties of a scratch object and read back as its property names, so that each
    /// lookup finds its key at once (a plain new string is looked up in V8's string table on
    /// every use).
    ///
    /// # Safety
    /// `env` is the live env of the call being converted; the keys are used within it.
    pub unsafe fn new(env: sys::napi_env, names: &'static [&'static str]) -> napi::Result<Self> {
        let mut scratch = ptr::null_mut();
        // SAFETY: a live env.
        napi::check_status!(unsafe { sys::napi_create_object(env, &mut scratch) })?;
        for name in names {
            let mut value = ptr::null_mut();
            // SAFETY: a live env; the name is valid UTF-8 of the given length.
            napi::check_status!(unsafe {
                sys::napi_create_string_utf8(
                    env,
                    name.as_ptr().cast::<c_char>(),
                    name.len() as isize,
                    &mut value,
                )
            })?;
            // SAFETY: a live object and values of this env.
            napi::check_status!(unsafe { sys::napi_set_property(env, scratch, value, value) })?;
        }
        let mut keys = ptr::null_mut();
        // SAFETY: a live object of this env.
        napi::check_status!(unsafe { sys::napi_get_property_names(env, scratch, &mut keys) })?;
        let values = (0..names.len() as u32)
            .map(|i| {
                let mut key = ptr::null_mut();
                // SAFETY: a live array of this env; a missing index reads `undefined`.
                napi::check_status!(unsafe { sys::napi_get_element(env, keys, i, &mut key) })?;
                Ok(key)
            })
            .collect::<napi::Result<Vec<_>>>()?;
        // The names come back in insertion order (none is an integer); check it anyway.
        for (name, &key) in names.iter().zip(&values) {
            // SAFETY: a live value of this env.
            if unsafe { read_string(env, key) }.ok().as_deref() != Some(*name) {
                return Err(napi::Error::from_reason(format!(
                    "could not make the key {name}"
                )));
            }
        }
        Ok(Keys { env, names, values })
    }

    /// The fields of `object`, whose path in errors is `path` (`events[3]`).
    ///
    /// # Safety
    /// `object` is a live value of the env the keys were made in.
    pub unsafe fn fields<'k>(
        &'k self,
        object: sys::napi_value,
        path: &'k dyn Fn() -> String,
    ) -> napi::Result<Fields<'k>> {
        // SAFETY: a live value of this env.
        let kind = unsafe { value_type(self.env, object) }?;
        if kind != ValueType::Object {
            return Err(napi::Error::new(
                Status::InvalidArg,
                format!("{}: expected an object, got {}", path(), type_name(kind)),
            ));
        }
        Ok(Fields {
            keys: self,
            object,
            path,
        })
    }

    /// Calls `read` on each item of the JavaScript array `array`, in order.
    ///
    /// # Safety
    /// `array` is a live value of the env the keys were made in.
    pub unsafe fn each<T>(
        &self,
        array: sys::napi_value,
        mut read: impl FnMut(usize, sys::napi_value) -> napi::Result<T>,
    ) -> napi::Result<Vec<T>> {
        let env = self.env;
        let mut is_array = false;
        // SAFETY: a live value of this env.
        napi::check_status!(unsafe { sys::napi_is_array(env, array, &mut is_array) })?;
        if !is_array {
            return Err(napi::Error::new(Status::InvalidArg, "expected an array"));
        }
        let mut len = 0u32;
        // SAFETY: a live array of this env.
        napi::check_status!(unsafe { sys::napi_get_array_length(env, array, &mut len) })?;
        (0..len)
            .map(|i| {
                // Each item's values live in a handle scope of their own: without one, the
                // handles of a whole batch pile up in the call's scope (and in the garbage
                // collector's root set) until the call returns.
                let mut scope = ptr::null_mut();
                // SAFETY: a live env; the scope is closed below, before the next item's.
                napi::check_status!(unsafe { sys::napi_open_handle_scope(env, &mut scope) })?;
                let mut item = ptr::null_mut();
                // SAFETY: a live array of this env, `i` below its length.
                let status = unsafe { sys::napi_get_element(env, array, i, &mut item) };
                let result = napi::check_status!(status).and_then(|()| read(i as usize, item));
                // SAFETY: the scope opened above; `read` returned Rust values only.
                napi::check_status!(unsafe { sys::napi_close_handle_scope(env, scope) })?;
                result
            })
            .collect()
    }
}

/// The fields of one object, read by the position of their key in [`Keys`].
pub struct Fields<'k> {
    keys: &'k Keys,
    object: sys::napi_value,
    path: &'k dyn Fn() -> String,
}

impl Fields<'_> {
    /// The raw value of key `i` (`undefined` when the object has none).
    fn raw(&self, i: usize) -> napi::Result<sys::napi_value> {
        let mut value = ptr::null_mut();
        // SAFETY: a live object and key of this env (see `Keys::fields`).
        let status = unsafe {
            sys::napi_get_property(self.keys.env, self.object, self.keys.values[i], &mut value)
        };
        napi::check_status!(status).map(|()| value)
    }

    /// The kind of `value`, None when it counts as absent (`undefined`, `null`).
    fn present(&self, value: sys::napi_value) -> napi::Result<Option<ValueType>> {
        // SAFETY: a live value of this env.
        let kind = unsafe { value_type(self.keys.env, value) }?;
        Ok((!matches!(kind, ValueType::Undefined | ValueType::Null)).then_some(kind))
    }

    /// The error for a missing key `i`.
    fn missing(&self, i: usize) -> napi::Error {
        let name = self.keys.names[i];
        napi::Error::new(
            Status::InvalidArg,
            format!("{}: Missing field `{name}`", (self.path)()),
        )
    }

    /// The error for key `i` holding a value of kind `kind`, not `expected`.
    fn wrong(&self, i: usize, kind: ValueType, expected: &str) -> napi::Error {
        napi::Error::new(
            Status::InvalidArg,
            format!(
                "{}.{}: expected {expected}, got {}",
                (self.path)(),
                self.keys.names[i],
                type_name(kind)
            ),
        )
    }

    /// None when `value` (of key `i`, not `expected`) is absent, else the error.
    fn absent<T>(
        &self,
        i: usize,
        value: sys::napi_value,
        expected: &str,
    ) -> napi::Result<Option<T>> {
        match self.present(value)? {
            None => Ok(None),
            Some(kind) => Err(self.wrong(i, kind, expected)),
        }
    }

    /// The value of key `i` through its type's own reader, None when absent.
    pub fn get<T: FromNapiValue>(&self, i: usize) -> napi::Result<Option<T>> {
        let value = self.raw(i)?;
        if self.present(value)?.is_none() {
            return Ok(None);
        }
        // SAFETY: a live value of this env.
        unsafe { T::from_napi_value(self.keys.env, value) }
            .map(Some)
            .map_err(|e| {
                let at = format!("{}.{}", (self.path)(), self.keys.names[i]);
                napi::Error::new(e.status, format!("{at}: {}", e.reason))
            })
    }

    /// A required value of key `i`.
    pub fn require<T: FromNapiValue>(&self, i: usize) -> napi::Result<T> {
        self.get(i)?.ok_or_else(|| self.missing(i))
    }

    /// The string of key `i`, None when absent.
    pub fn string(&self, i: usize) -> napi::Result<Option<String>> {
        let value = self.raw(i)?;
        // SAFETY: a live value of this env.
        match unsafe { read_string(self.keys.env, value) } {
            Ok(s) => Ok(Some(s)),
            Err(_) => self.absent(i, value, "a string"),
        }
    }

    /// The required string of key `i`.
    pub fn require_string(&self, i: usize) -> napi::Result<String> {
        self.string(i)?.ok_or_else(|| self.missing(i))
    }

    /// The number of key `i`, None when absent.
    pub fn number(&self, i: usize) -> napi::Result<Option<f64>> {
        let value = self.raw(i)?;
        let mut n = 0.0;
        // SAFETY: a live value of this env.
        match unsafe { sys::napi_get_value_double(self.keys.env, value, &mut n) } {
            sys::Status::napi_ok => Ok(Some(n)),
            _ => self.absent(i, value, "a number"),
        }
    }

    /// The milliseconds of key `i` when it holds a `Date` (None for anything else, which
    /// the general reader then takes).
    pub fn date_millis(&self, i: usize) -> napi::Result<Option<f64>> {
        let value = self.raw(i)?;
        let mut ms = 0.0;
        // SAFETY: a live value of this env.
        let status = unsafe { sys::napi_get_date_value(self.keys.env, value, &mut ms) };
        Ok((status == sys::Status::napi_ok).then_some(ms))
    }
}

/// The type of a value.
///
/// # Safety
/// `value` is a live value of `env`.
unsafe fn value_type(env: sys::napi_env, value: sys::napi_value) -> napi::Result<ValueType> {
    let mut kind = 0;
    // SAFETY: per this function's contract.
    napi::check_status!(unsafe { sys::napi_typeof(env, value, &mut kind) })?;
    Ok(ValueType::from(kind))
}

/// A JavaScript string's text: in one call through a stack buffer when it is short, else by
/// asking its length first. Fails with napi's status for anything but a string.
///
/// # Safety
/// `value` is a live value of `env`.
unsafe fn read_string(
    env: sys::napi_env,
    value: sys::napi_value,
) -> Result<String, sys::napi_status> {
    let mut buf = [0u8; SHORT];
    let mut len = 0usize;
    // SAFETY: a live value; the buffer holds SHORT bytes (the terminating NUL included).
    let status = unsafe {
        sys::napi_get_value_string_utf8(env, value, buf.as_mut_ptr().cast(), SHORT, &mut len)
    };
    if status != sys::Status::napi_ok {
        return Err(status);
    }
    // V8 writes whole characters (4 bytes at most): with room for 4 more, nothing was cut.
    if len + 4 < SHORT - 1 {
        return Ok(String::from_utf8_lossy(&buf[..len]).into_owned());
    }
    // SAFETY: as above; a null buffer asks for the length.
    let status =
        unsafe { sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut len) };
    if status != sys::Status::napi_ok {
        return Err(status);
    }
    let mut long = vec![0u8; len + 1];
    // SAFETY: as above, into a buffer of `len + 1` bytes.
    let status = unsafe {
        sys::napi_get_value_string_utf8(env, value, long.as_mut_ptr().cast(), len + 1, &mut len)
    };
    if status != sys::Status::napi_ok {
        return Err(status);
    }
    long.truncate(len);
    Ok(String::from_utf8(long)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
