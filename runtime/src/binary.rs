//! `type: string, format: binary`: octets, such as a file to upload in a
//! `multipart/form-data` body.

use std::fmt;

use bytes::Bytes;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Serialize, Serializer};

/// Octets of a `format: binary` field. In a `multipart/form-data` body it
/// is a part of its own, sent as a file named after its field; where JSON
/// carries it, it is a string. `Debug` shows its length, never its content.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Binary {
    bytes: Bytes,
    file_name: Option<String>,
    media_type: Option<String>,
}

impl Binary {
    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The octets, without a copy.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// Sends it as the file `name` in a multipart body
    /// (`filename="stock.csv"`), rather than as a file named after its field.
    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sends it with this `Content-Type` in a multipart body (`text/csv`),
    /// rather than the spec's `encoding` or `application/octet-stream`.
    pub fn with_media_type(mut self, media_type: impl Into<String>) -> Self {
        self.media_type = Some(media_type.into());
        self
    }

    /// The file name given by [`Binary::with_file_name`].
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The media type given by [`Binary::with_media_type`].
    pub fn media_type(&self) -> Option<&str> {
        self.media_type.as_deref()
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.bytes.len())
    }
}

impl From<Bytes> for Binary {
    fn from(bytes: Bytes) -> Self {
        Self {
            bytes,
            file_name: None,
            media_type: None,
        }
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from(Bytes::from_static(bytes))
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Self::from(Bytes::from(text))
    }
}

impl Serialize for Binary {
    /// A string when the octets are UTF-8, else a sequence of octets: JSON
    /// has no other way to hold them.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.bytes) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => serializer.serialize_bytes(&self.bytes),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Octets;

        impl<'de> Visitor<'de> for Octets {
            type Value = Binary;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a sequence of octets")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Binary, E> {
                Ok(Binary::from(text.to_owned()))
            }

            fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Binary, E> {
                Ok(Binary::from(bytes.to_vec()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Binary, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(byte) = seq.next_element::<u8>()? {
                    bytes.push(byte);
                }
                Ok(Binary::from(bytes))
            }
        }

        deserializer.deserialize_any(Octets)
    }
}

/// Octets' JSON Schema: a string, `format: binary`.
#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Binary {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Binary".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "binary"})
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_holds_text_as_a_string_and_other_octets_as_numbers() {
        let text = Binary::from("a \"file\"".to_owned());
        let json = serde_json::to_string(&text).expect("serializes");
        assert_eq!(json, r#""a \"file\"""#);
        assert_eq!(
            serde_json::from_str::<Binary>(&json).expect("decodes"),
            text
        );
        let octets = Binary::from(vec![0xff, 0, 7]);
        let json = serde_json::to_string(&octets).expect("serializes");
        assert_eq!(json, "[255,0,7]");
        assert_eq!(
            serde_json::from_str::<Binary>(&json).expect("decodes"),
            octets
        );
        assert!(serde_json::from_str::<Binary>("[256]").is_err());
    }

    #[test]
    fn debug_shows_the_length_only() {
        assert_eq!(
            format!("{:?}", Binary::from("secret".to_owned())),
            "Binary(6 bytes)"
        );
    }
}
