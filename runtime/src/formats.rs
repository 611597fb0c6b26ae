//! Typed string formats (`date-time`, `date`, `uuid`) as parameter text.
//!
//! Bodies go through serde, whose chrono and uuid impls already write RFC 3339
//! and hyphenated UUIDs; parameters go through here so that a query or path
//! carries the same text as a body would.

use chrono::{DateTime, SecondsFormat, Utc};

/// RFC 3339 with a `Z` offset and only the fraction digits the value needs:
/// `2026-01-15T16:47:49.855Z`, as serde writes it in a body. (`Display`
/// would write `2026-01-15 16:47:49.855 UTC`, which no server parses.)
pub fn date_time_text(value: &DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_text_is_what_serde_writes_in_a_body() {
        for text in [
            "2026-01-15T16:47:49Z",
            "2026-01-15T16:47:49.855Z",
            "2026-01-15T16:47:49.000000001Z",
        ] {
            let value: DateTime<Utc> = text.parse().expect("valid RFC 3339");
            assert_eq!(date_time_text(&value), text);
            assert_eq!(
                serde_json::to_value(value).expect("serializes"),
                serde_json::Value::String(text.to_owned())
            );
        }
    }

    #[test]
    fn other_offsets_are_the_same_instant_in_utc() {
        let value: DateTime<Utc> =
            serde_json::from_str("\"2026-01-15T18:47:49.855+02:00\"").expect("decodes");
        assert_eq!(date_time_text(&value), "2026-01-15T16:47:49.855Z");
    }
}
