//! Decoding `oneOf`/`anyOf` values, whose members may overlap: a body that
//! fits a later member often fits an earlier one too, minus some fields.

use serde::Serialize;
use serde_json::Value;

/// Picks, among the members a value decodes as, the first in the spec's
/// order that keeps every field of the value; when each loses some, the one
/// that loses fewest (the first of those).
#[derive(Debug)]
pub struct UnionDecoder<'v, T> {
    value: &'v Value,
    /// The best member so far, with the number of fields it lost.
    best: Option<(usize, T)>,
}

impl<'v, T: Serialize> UnionDecoder<'v, T> {
    /// Starts on `value`.
    pub fn new(value: &'v Value) -> Self {
        Self { value, best: None }
    }

    /// Tries the next member; skipped once a member kept everything.
    pub fn member(mut self, decode: impl FnOnce(Value) -> Result<T, serde_json::Error>) -> Self {
        if matches!(self.best, Some((0, _))) {
            return self;
        }
        if let Ok(decoded) = decode(self.value.clone()) {
            let kept = serde_json::to_value(&decoded).unwrap_or(Value::Null);
            let lost = lost_fields(self.value, &kept);
            if self.best.as_ref().is_none_or(|(fewest, _)| lost < *fewest) {
                self.best = Some((lost, decoded));
            }
        }
        self
    }

    /// The chosen member, or an error naming the type when none decodes.
    pub fn finish<E: serde::de::Error>(self, name: &str) -> Result<T, E> {
        self.best
            .map(|(_, decoded)| decoded)
            .ok_or_else(|| E::custom(format!("the value fits none of the alternatives of {name}")))
    }
}

/// Fields of `original` that are not in `kept`, at any depth; a `null`
/// left out is not lost.
fn lost_fields(original: &Value, kept: &Value) -> usize {
    match (original, kept) {
        (Value::Object(original), Value::Object(kept)) => original
            .iter()
            .map(|(name, value)| match kept.get(name) {
                Some(kept) => lost_fields(value, kept),
                None => usize::from(!value.is_null()),
            })
            .sum(),
        (Value::Array(original), Value::Array(kept)) => original
            .iter()
            .zip(kept)
            .map(|(original, kept)| lost_fields(original, kept))
            .sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Small {
        name: String,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Large {
        name: String,
        lives: u8,
    }

    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Either {
        Small(Small),
        Large(Large),
    }

    fn decode(value: Value) -> Result<Either, serde_json::Error> {
        UnionDecoder::new(&value)
            .member(|value| serde_json::from_value(value).map(Either::Small))
            .member(|value| serde_json::from_value(value).map(Either::Large))
            .finish("Either")
    }

    #[test]
    fn a_later_member_that_keeps_every_field_wins_over_an_earlier_one_that_drops_some() {
        let decoded = decode(json!({"name": "Tom", "lives": 9})).expect("decodes");
        assert_eq!(
            decoded,
            Either::Large(Large {
                name: "Tom".to_owned(),
                lives: 9
            })
        );
    }

    #[test]
    fn the_first_member_wins_when_both_keep_everything() {
        let decoded = decode(json!({"name": "Rex"})).expect("decodes");
        assert_eq!(
            decoded,
            Either::Small(Small {
                name: "Rex".to_owned()
            })
        );
    }

    #[test]
    fn the_member_that_loses_fewest_fields_wins_when_all_lose_some() {
        let decoded = decode(json!({"name": "Tom", "lives": 9, "a": 1})).expect("decodes");
        assert!(matches!(decoded, Either::Large(_)), "{decoded:?}");
    }

    #[test]
    fn a_value_that_fits_no_member_is_an_error_without_the_value() {
        let error = decode(json!({"nom": "s3cret"})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the value fits none of the alternatives of Either"
        );
    }
}
