//! Decoding `oneOf`/`anyOf` values, whose members may overlap: a body that
//! fits a later member often fits an earlier one too, minus some fields.

use serde::Serialize;
use serde_json::Value;

use crate::validate::{Validate, Validator};

/// Picks, among the members a value decodes as, the first in the spec's
/// order that keeps every field of the value and meets its member's
/// constraints; failing that, one that meets them over one that does not
/// (`"none"` is the enum member's, not an earlier `pattern: ^x` string's),
/// then the one that loses fewest fields (the first of those).
#[derive(Debug)]
pub struct UnionDecoder<'v, T> {
    value: &'v Value,
    /// The best member so far: whether it breaks a constraint, and the
    /// number of fields it lost.
    best: Option<((bool, usize), T)>,
}

impl<'v, T: Serialize + Validate> UnionDecoder<'v, T> {
    /// Starts on `value`.
    pub fn new(value: &'v Value) -> Self {
        Self { value, best: None }
    }

    /// Tries the next member; skipped once a member kept everything and
    /// met its constraints.
    pub fn member(mut self, decode: impl FnOnce(Value) -> Result<T, serde_json::Error>) -> Self {
        if matches!(self.best, Some(((false, 0), _))) {
            return self;
        }
        if let Ok(decoded) = decode(self.value.clone()) {
            let kept = serde_json::to_value(&decoded).unwrap_or(Value::Null);
            let mut validator = Validator::new();
            decoded.validate(&mut validator);
            let rank = (validator.finish().is_err(), lost_fields(self.value, &kept));
            if self.best.as_ref().is_none_or(|(best, _)| rank < *best) {
                self.best = Some((rank, decoded));
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
/// left out is not lost. An integer kept as a float (`1` as `1.0`, by an
/// earlier `number` member) and a field `kept` has that `original` had
/// not count too: the value would not come back as it was sent.
fn lost_fields(original: &Value, kept: &Value) -> usize {
    match (original, kept) {
        (Value::Object(original), Value::Object(kept)) => {
            let lost: usize = original
                .iter()
                .map(|(name, value)| match kept.get(name) {
                    Some(kept) => lost_fields(value, kept),
                    None => usize::from(!value.is_null()),
                })
                .sum();
            // A field the value did not have, which a member made up (a
            // required nullable field read as null when absent), is a
            // change too: another member may keep the value as it is.
            let made_up = kept
                .keys()
                .filter(|name| !original.contains_key(*name))
                .count();
            lost + made_up
        }
        (Value::Array(original), Value::Array(kept)) => original
            .iter()
            .zip(kept)
            .map(|(original, kept)| lost_fields(original, kept))
            .sum(),
        (Value::Number(original), Value::Number(kept)) => {
            usize::from(original.is_f64() != kept.is_f64())
        }
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

    impl Validate for Either {
        fn validate(&self, v: &mut Validator) {
            // A cat has at most nine lives.
            if let Either::Large(large) = self {
                v.maximum(large.lives, 9, false);
            }
        }
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
    fn a_member_that_meets_its_constraints_wins_over_one_that_keeps_more_fields() {
        let decoded = decode(json!({"name": "Tom", "lives": 10})).expect("decodes");
        assert!(matches!(decoded, Either::Small(_)), "{decoded:?}");
    }

    #[test]
    fn an_integer_is_kept_by_an_integer_member_rather_than_made_a_float() {
        #[derive(Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        enum Number {
            Float(f64),
            Integer(i64),
        }
        impl Validate for Number {
            fn validate(&self, _: &mut Validator) {}
        }
        let decode = |value: Value| {
            UnionDecoder::new(&value)
                .member(|value| serde_json::from_value(value).map(Number::Float))
                .member(|value| serde_json::from_value(value).map(Number::Integer))
                .finish::<serde_json::Error>("Number")
        };
        assert_eq!(decode(json!(7)).expect("decodes"), Number::Integer(7));
        assert_eq!(decode(json!(7.5)).expect("decodes"), Number::Float(7.5));
    }

    #[test]
    fn a_member_that_makes_up_a_field_loses_to_one_that_keeps_the_value_as_it_is() {
        #[derive(Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        enum Shape {
            // Reads `{}` as `{"note": null}`.
            Noted { note: Option<String> },
            Map(std::collections::BTreeMap<String, String>),
        }
        impl Validate for Shape {
            fn validate(&self, _: &mut Validator) {}
        }
        #[derive(Deserialize)]
        struct Noted {
            #[serde(default)]
            note: Option<String>,
        }
        let value = json!({});
        let decoded = UnionDecoder::new(&value)
            .member(|value| {
                serde_json::from_value::<Noted>(value)
                    .map(|noted| Shape::Noted { note: noted.note })
            })
            .member(|value| serde_json::from_value(value).map(Shape::Map))
            .finish::<serde_json::Error>("Shape")
            .expect("decodes");
        assert_eq!(decoded, Shape::Map(std::collections::BTreeMap::new()));
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
