//! What conformance tests need from a generated crate: for each type, where
//! it comes from in the spec, its JSON Schema as the Rust type really is, and
//! a way to decode, validate and re-encode a JSON value with it.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Secret, Validate, ValidationErrors, Validator};

/// One generated type.
#[derive(Debug, Clone, Copy)]
pub struct TypeEntry {
    /// The JSON pointer of its schema in the spec.
    pub pointer: &'static str,
    /// The Rust type name.
    pub name: &'static str,
    /// Its JSON Schema, derived from the Rust type by `schemars`.
    pub schema: fn() -> schemars::Schema,
    /// Decodes a value as this type, validates it, and encodes it again.
    pub check: fn(serde_json::Value) -> Result<serde_json::Value, Refusal>,
}

/// Why [`TypeEntry::check`] refused a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The value does not decode into the type; serde's message.
    Undecodable(String),
    /// It decodes but breaks constraints.
    Invalid(ValidationErrors),
}

impl TypeEntry {
    /// The entry of `T`.
    pub fn of<T>(pointer: &'static str, name: &'static str) -> Self
    where
        T: schemars::JsonSchema + Serialize + DeserializeOwned + Validate,
    {
        Self {
            pointer,
            name,
            schema: schema_of::<T>,
            check: check::<T>,
        }
    }
}

fn schema_of<T: schemars::JsonSchema>() -> schemars::Schema {
    schemars::schema_for!(T)
}

fn check<T: Serialize + DeserializeOwned + Validate>(
    value: serde_json::Value,
) -> Result<serde_json::Value, Refusal> {
    let typed: T =
        serde_json::from_value(value).map_err(|error| Refusal::Undecodable(error.to_string()))?;
    let mut v = Validator::new();
    typed.validate(&mut v);
    v.finish().map_err(Refusal::Invalid)?;
    serde_json::to_value(&typed).map_err(|error| Refusal::Undecodable(error.to_string()))
}

impl schemars::JsonSchema for Secret {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Secret".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "password"})
    }

    fn inline_schema() -> bool {
        true
    }
}
