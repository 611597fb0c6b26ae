//! The pieces of the `Serialize` and `Deserialize` impls that generated
//! crates write out for their objects instead of deriving them: serde's
//! derive macro runs again on every check of the crate, which was most of
//! a `cargo check` after a regen (docs/BENCHMARKS.md, "Generated crates").
//! Each piece keeps the derive's behaviour, which the tests compare.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// An object's key, borrowed from the input when the input allows.
#[derive(Debug)]
pub struct FieldName<'de>(Cow<'de, str>);

impl FieldName<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Key;

        impl<'de> Visitor<'de> for Key {
            type Value = FieldName<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Borrowed(value)))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(value.to_owned())))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(value)))
            }
        }

        deserializer.deserialize_identifier(Key)
    }
}

/// Reads the value of field `name` into `slot`; a second value for the same
/// field is an error ("duplicate field"), as with serde's derive.
pub fn read_field<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a field the type does not have.
pub fn skip_field<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of required field `name`: when it is missing, an error
/// ("missing field"), except for a type that can be absent (an `Option`,
/// for a required but nullable field), which is then `None`, as with
/// serde's derive.
pub fn required_field<'de, T, E>(slot: Option<T>, name: &'static str) -> Result<T, E>
where
    T: Deserialize<'de>,
    E: de::Error,
{
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// The value of a missing field: nothing for an `Option`, an error for
/// anything else.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// `Serialize`, `Deserialize` and, with the calling crate's `schemars`
/// feature, `JsonSchema` for a generated object, from one list of its
/// fields: each field's Rust name, JSON name, and `required` or
/// `optional`. So each field's wire facts are stated once, and a macro by
/// example costs no proc-macro run on a check of the crate. The impls
/// behave as serde's derive with `rename`, and for optional fields
/// `default` and `skip_serializing_if = "Option::is_none"`: unknown fields
/// are skipped, a repeated one refused, a missing optional one `None`, a
/// missing required one an error (unless it is an `Option`).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_impls {
    ($name:ident $(, ($field:ident, $json:literal, $kind:ident))* $(,)?) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                use $crate::__private::serde::ser::SerializeMap;
                #[allow(unused_mut)]
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                $( $crate::__private::$kind::serialize(&mut map, $json, &self.$field)?; )*
                map.end()
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                // No generated type's name ends in `_`: none can take its place.
                struct Visitor_;

                impl<'de> $crate::__private::serde::de::Visitor<'de> for Visitor_ {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("struct ", ::core::stringify!($name)))
                    }

                    fn visit_map<A: $crate::__private::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::core::result::Result<$name, A::Error> {
                        $( let mut $field = ::core::option::Option::None; )*
                        while let ::core::option::Option::Some(key) =
                            map.next_key::<$crate::__private::FieldName<'de>>()?
                        {
                            match key.as_str() {
                                $( $json => $crate::__private::read_field(&mut map, &mut $field, $json)?, )*
                                _ => $crate::__private::skip_field(&mut map)?,
                            }
                        }
                        ::core::result::Result::Ok($name {
                            $( $field: $crate::__private::$kind::take($field, $json)?, )*
                        })
                    }
                }

                deserializer.deserialize_map(Visitor_)
            }
        }

        #[cfg(feature = "schemars")]
        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::core::stringify!($name).into()
            }

            fn json_schema(
                generator: &mut $crate::__private::schemars::SchemaGenerator,
            ) -> $crate::__private::schemars::Schema {
                #[allow(unused_mut)]
                let mut properties = $crate::__private::serde_json::Map::new();
                #[allow(unused_mut)]
                let mut required: ::std::vec::Vec<&str> = ::std::vec::Vec::new();
                $(
                    properties.insert(
                        $json.into(),
                        $crate::__private::field_schema(generator, |value: &$name| &value.$field)
                            .to_value(),
                    );
                    if $crate::__private::$kind::REQUIRED {
                        required.push($json);
                    }
                )*
                $crate::__private::schemars::json_schema!({
                    "type": "object",
                    "properties": properties,
                    "required": required,
                })
            }
        }
    };
}

/// How the `object!` impls handle a required field: always written, and
/// an error when missing (unless it is an `Option`).
pub mod required {
    use serde::de::{Deserialize, Error};
    use serde::ser::{Serialize, SerializeMap};

    /// Listed in the JSON Schema's `required`.
    pub const REQUIRED: bool = true;

    /// Writes the field.
    pub fn serialize<M: SerializeMap, T: Serialize + ?Sized>(
        map: &mut M,
        name: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        map.serialize_entry(name, value)
    }

    /// The field's value, read or missing.
    pub fn take<'de, T: Deserialize<'de>, E: Error>(
        slot: Option<T>,
        name: &'static str,
    ) -> Result<T, E> {
        super::required_field(slot, name)
    }
}

/// How the `object!` impls handle an optional field: written when set,
/// `None` when missing.
pub mod optional {
    use serde::de::Error;
    use serde::ser::{Serialize, SerializeMap};

    /// Not listed in the JSON Schema's `required`.
    pub const REQUIRED: bool = false;

    /// Writes the field when it is set.
    pub fn serialize<M: SerializeMap, T: Serialize>(
        map: &mut M,
        name: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => map.serialize_entry(name, value),
            None => Ok(()),
        }
    }

    /// The field's value, `None` when missing.
    pub fn take<T, E: Error>(slot: Option<Option<T>>, _name: &'static str) -> Result<Option<T>, E> {
        Ok(slot.flatten())
    }
}

thread_local! {
    /// Set while a value is written as a response (by the mocks and the
    /// conformance tests), when `readOnly` fields are written too.
    static AS_RESPONSE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `write` with `readOnly` fields written: a response's view of the
/// values it serializes. Requests never carry them.
pub fn as_response<T>(write: impl FnOnce() -> T) -> T {
    let before = AS_RESPONSE.with(|flag| flag.replace(true));
    // Put back even if `write` panics, so that no later request sees it.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            AS_RESPONSE.with(|flag| flag.set(self.0));
        }
    }
    let _restore = Restore(before);
    write()
}

/// How the `object!` impls handle an optional `readOnly` field: the
/// server's to set, so written only as a response ([`as_response`]) and
/// when set, never in a request; `None` when missing.
pub mod read_only {
    use serde::de::Error;
    use serde::ser::{Serialize, SerializeMap};

    /// Not listed in the JSON Schema's `required`.
    pub const REQUIRED: bool = false;

    /// Writes the field when it is set and a response is being written.
    pub fn serialize<M: SerializeMap, T: Serialize>(
        map: &mut M,
        name: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        if super::AS_RESPONSE.with(std::cell::Cell::get) {
            super::optional::serialize(map, name, value)
        } else {
            Ok(())
        }
    }

    /// The field's value, `None` when missing.
    pub fn take<T, E: Error>(slot: Option<Option<T>>, name: &'static str) -> Result<Option<T>, E> {
        super::optional::take(slot, name)
    }
}

/// How the `object!` impls handle a required `readOnly` field: written
/// only as a response, and then always (`None` as `null`), never in a
/// request; `None` when missing, since a value the client built for a
/// request has none.
pub mod read_only_required {
    use serde::de::Error;
    use serde::ser::{Serialize, SerializeMap};

    /// Listed in the JSON Schema's `required`: responses carry it.
    pub const REQUIRED: bool = true;

    /// Writes the field when a response is being written.
    pub fn serialize<M: SerializeMap, T: Serialize>(
        map: &mut M,
        name: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        if super::AS_RESPONSE.with(std::cell::Cell::get) {
            map.serialize_entry(name, value)
        } else {
            Ok(())
        }
    }

    /// The field's value, `None` when missing.
    pub fn take<T, E: Error>(slot: Option<Option<T>>, name: &'static str) -> Result<Option<T>, E> {
        super::optional::take(slot, name)
    }
}

/// The JSON Schema of the field `read` reads, as `JsonSchema` for an
/// object wants it: the field's type is inferred, so the macro need not
/// be told it.
#[cfg(feature = "schemars")]
pub fn field_schema<S, T: schemars::JsonSchema>(
    generator: &mut schemars::SchemaGenerator,
    _read: fn(&S) -> &T,
) -> schemars::Schema {
    generator.subschema_for::<T>()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    /// What the derive gives for an object with a required, a required
    /// nullable and an optional field, one of them renamed.
    mod derived {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct Item {
            pub id: u32,
            pub note: Option<String>,
            #[serde(
                rename = "displayName",
                default,
                skip_serializing_if = "Option::is_none"
            )]
            pub display_name: Option<String>,
        }
    }

    /// The same object with the impls `openapi-clientgen` has the macro write.
    mod written {
        #[derive(Debug, PartialEq)]
        pub struct Item {
            pub id: u32,
            pub note: Option<String>,
            pub display_name: Option<String>,
        }

        crate::__object_impls!(
            Item,
            (id, "id", required),
            (note, "note", required),
            (display_name, "displayName", optional),
        );
    }

    use derived::Item as Derived;
    use written::Item as Written;

    #[test]
    fn written_impls_decode_and_refuse_as_the_derive_does() {
        let bodies = [
            r#"{"id": 1, "note": "n", "displayName": "d"}"#,
            r#"{"displayName": "d", "note": null, "id": 2}"#,
            r#"{"id": 3}"#,
            r#"{"id": 4, "note": "n", "displayName": null}"#,
            r#"{"id": 5, "extra": {"deep": [1, 2]}, "note": "n"}"#,
            r#"{"id": 6, "note": "\"escaped\"", "display\u004eame": "escaped key"}"#,
            r#"{"note": "no id"}"#,
            r#"{"id": 7, "id": 8, "note": null}"#,
            r#"{"id": "seven", "note": null}"#,
            r#"{"id": -1, "note": null}"#,
            r#"{"id": 1e3, "note": null}"#,
            r#"{}"#,
            r#"[]"#,
            r#"[1, null]"#,
            r#""text""#,
            r#"null"#,
            r#"{"id": 1, "note": null"#,
        ];
        for body in bodies {
            let derived = serde_json::from_str::<Derived>(body).map_err(|error| error.to_string());
            let written = serde_json::from_str::<Written>(body).map_err(|error| error.to_string());
            match (&derived, &written) {
                (Ok(derived), Ok(written)) => {
                    assert_eq!(derived.id, written.id, "{body}");
                    assert_eq!(derived.note, written.note, "{body}");
                    assert_eq!(derived.display_name, written.display_name, "{body}");
                    assert_eq!(
                        serde_json::to_string(derived).unwrap(),
                        serde_json::to_string(written).unwrap(),
                        "{body}"
                    );
                }
                // The derive also reads an object from an array of its
                // fields in order; a JSON API never sends one, so the written
                // impl refuses any array, with its own message.
                (_, Err(written)) if body.starts_with('[') => {
                    assert!(written.contains("invalid type: sequence"), "{written}");
                }
                (Err(derived), Err(written)) => assert_eq!(derived, written, "{body}"),
                _ => panic!("{body}: derive {derived:?}, written {written:?}"),
            }
        }
    }

    /// An object with a `readOnly` and a `writeOnly` field.
    mod one_way {
        #[derive(Debug, PartialEq)]
        pub struct Account {
            pub id: Option<u32>,
            pub name: String,
            pub password: Option<String>,
        }

        crate::__object_impls!(
            Account,
            (id, "id", read_only),
            (name, "name", required),
            (password, "password", required)
        );
    }

    #[test]
    fn read_only_fields_are_written_only_as_responses_and_neither_is_demanded() {
        use one_way::Account;
        let account = Account {
            id: Some(7),
            name: "ann".to_owned(),
            password: Some("pw".to_owned()),
        };
        assert_eq!(
            serde_json::to_value(&account).unwrap(),
            json!({"name": "ann", "password": "pw"}),
            "a request never carries the server's field"
        );
        assert_eq!(
            as_response(|| serde_json::to_value(&account)).unwrap(),
            json!({"id": 7, "name": "ann", "password": "pw"})
        );
        assert_eq!(
            serde_json::to_value(&account).unwrap(),
            json!({"name": "ann", "password": "pw"}),
            "the response view ends with its call"
        );
        let answered: Account = serde_json::from_value(json!({"id": 7, "name": "ann"})).unwrap();
        assert_eq!((answered.id, answered.password), (Some(7), None));
        let sent: Account =
            serde_json::from_value(json!({"name": "ann", "password": "pw"})).unwrap();
        assert_eq!(sent.id, None);
    }

    #[test]
    fn keys_are_borrowed_when_the_input_allows() {
        let mut deserializer = serde_json::Deserializer::from_str(r#""plain""#);
        let key = FieldName::deserialize(&mut deserializer).expect("a key");
        assert!(matches!(key.0, Cow::Borrowed("plain")));
        let mut deserializer = serde_json::Deserializer::from_str(r#""esc\u0061ped""#);
        let key = FieldName::deserialize(&mut deserializer).expect("a key");
        assert_eq!(key.as_str(), "escaped");
    }

    #[test]
    fn a_missing_value_is_none_only_for_an_option() {
        let none: Result<Option<u32>, serde_json::Error> = required_field(None, "a");
        assert_eq!(none.expect("an Option may be missing"), None);
        let missing: Result<u32, serde_json::Error> = required_field(None, "a");
        assert_eq!(
            missing.expect_err("missing").to_string(),
            "missing field `a`"
        );
        let value: Result<serde_json::Value, serde_json::Error> = required_field(None, "v");
        assert!(
            value.is_err(),
            "any JSON value, null included, must be present"
        );
        assert_eq!(
            json!(null),
            required_field::<serde_json::Value, serde_json::Error>(Some(json!(null)), "v").unwrap()
        );
    }
}
