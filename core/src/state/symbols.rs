//! Interned names (channels, event kinds) so rows hold a `u32` instead of a string.

use crate::hash::HashMap;

use crate::error::{invalid, Result};

/// Names in the order they were first seen; a name's id is its position.
#[derive(Default)]
pub(crate) struct Symbols {
    names: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl Symbols {
    /// Id of a known name.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// Name of an id.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Id of a name, adding it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(id) = self.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }
}

/// Names a write will add, numbered after the names already interned.
#[derive(Default)]
pub(crate) struct PendingSymbols {
    base: usize,
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl PendingSymbols {
    /// Starts after the names `symbols` already holds.
    pub fn after(symbols: &Symbols) -> Self {
        PendingSymbols {
            base: symbols.len(),
            ..Self::default()
        }
    }

    /// Id of a name, reserving the next id if neither table holds it.
    pub fn id(&mut self, symbols: &Symbols, field: impl Fn() -> String, name: &str) -> Result<u32> {
        if let Some(id) = symbols.get(name).or_else(|| self.ids.get(name).copied()) {
            return Ok(id);
        }
        let id = u32::try_from(self.base + self.names.len())
            .map_err(|_| invalid(field(), "too many distinct names"))?;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        Ok(id)
    }

    /// The new names, in id order.
    pub fn into_names(self) -> Vec<String> {
        self.names
    }
}
