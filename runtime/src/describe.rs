//! What conformance tests need from a generated crate: for each type, where
//! it comes from in the spec, its JSON Schema as the Rust type really is, and
//! a way to decode, validate and re-encode a JSON value with it.

use std::future::Future;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{ByteStream, Error, ResponseValue, Validate, ValidationErrors, Validator};

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
    // Written back whole, `readOnly` fields included.
    crate::object::as_response(|| serde_json::to_value(&typed))
        .map_err(|error| Refusal::Undecodable(error.to_string()))
}

/// One operation, callable with inputs given as JSON, so that a test can
/// drive every operation of a spec without code written for each.
pub struct OperationEntry<C> {
    /// Its `operationId`.
    pub id: &'static str,
    /// Sets every input present in the object (parameters by their spec
    /// names, `body`, `mediaType`), sends, and reports the outcome as JSON.
    pub call: for<'a> fn(&'a C, serde_json::Value) -> CallFuture<'a>,
}

/// What [`OperationEntry::call`] returns.
pub type CallFuture<'a> = Pin<Box<dyn Future<Output = Outcome> + 'a>>;

impl<C> Clone for OperationEntry<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for OperationEntry<C> {}

impl<C> std::fmt::Debug for OperationEntry<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperationEntry")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// What a call came to, with bodies as JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// An input did not decode into its type, or the client refused the
    /// inputs; nothing was sent.
    Refused(String),
    /// A declared success status and its decoded body (`null` without one;
    /// a streamed body as text).
    Success {
        /// The status.
        status: u16,
        /// The body.
        body: serde_json::Value,
    },
    /// A declared error status and its decoded body (`null` without one).
    ErrorResponse {
        /// The status.
        status: u16,
        /// The body.
        body: serde_json::Value,
    },
    /// Any other error, by its message.
    Failed(String),
}

/// The input `name`, decoded as `T`; `None` when absent or null.
pub fn input<T: DeserializeOwned>(
    input: &serde_json::Value,
    name: &str,
) -> Result<Option<T>, Outcome> {
    match input.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value.clone())
            .map(Some)
            .map_err(|error| Outcome::Refused(format!("input `{name}`: {error}"))),
    }
}

/// A value as JSON; a value that does not serialize says so in a string.
pub fn json<T: Serialize>(value: &T) -> serde_json::Value {
    crate::object::as_response(|| serde_json::to_value(value))
        .unwrap_or_else(|error| serde_json::Value::String(format!("unserializable: {error}")))
}

/// The outcome of a call, with `success` and `error` turning bodies into JSON.
pub fn outcome<T, E>(
    result: Result<ResponseValue<T>, Error<E>>,
    success: impl FnOnce(T) -> serde_json::Value,
    error: impl FnOnce(E) -> serde_json::Value,
) -> Outcome {
    match result {
        Ok(value) => Outcome::Success {
            status: value.status().as_u16(),
            body: success(value.into_inner()),
        },
        Err(other) => failure(other, error),
    }
}

/// Like [`outcome`] for a streamed body, which is read whole, as text.
pub async fn stream_outcome<E>(
    result: Result<ResponseValue<ByteStream>, Error<E>>,
    error: impl FnOnce(E) -> serde_json::Value,
) -> Outcome {
    match result {
        Ok(value) => {
            let status = value.status().as_u16();
            match value.into_inner().collect().await {
                Ok(bytes) => Outcome::Success {
                    status,
                    body: serde_json::Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                },
                Err(other) => Outcome::Failed(other.to_string()),
            }
        }
        Err(other) => failure(other, error),
    }
}

/// Like [`outcome`] for a stream of typed items, read to its end: the
/// items, each turned into JSON by `item`, as an array.
pub async fn items_outcome<S, I, E>(
    result: Result<ResponseValue<S>, Error<E>>,
    item: impl Fn(I) -> serde_json::Value,
    error: impl FnOnce(E) -> serde_json::Value,
) -> Outcome
where
    S: futures::Stream<Item = Result<I, Error>> + Unpin,
{
    match result {
        Ok(value) => {
            let status = value.status().as_u16();
            let mut items = Vec::new();
            let mut stream = value.into_inner();
            while let Some(next) = futures::StreamExt::next(&mut stream).await {
                match next {
                    Ok(next) => items.push(item(next)),
                    Err(other) => return Outcome::Failed(other.to_string()),
                }
            }
            Outcome::Success {
                status,
                body: serde_json::Value::Array(items),
            }
        }
        Err(other) => failure(other, error),
    }
}

fn failure<E>(error: Error<E>, body: impl FnOnce(E) -> serde_json::Value) -> Outcome {
    match error {
        Error::InvalidRequest(errors) => Outcome::Refused(errors.to_string()),
        Error::ErrorResponse(response) => Outcome::ErrorResponse {
            status: response.status().as_u16(),
            body: body(response.into_inner()),
        },
        other => Outcome::Failed(other.to_string()),
    }
}
