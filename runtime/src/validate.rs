//! Checks of request inputs against the spec's constraints, run before a
//! request is built so that a refused request is never sent.

use std::fmt;

#[cfg(feature = "patterns")]
use crate::pattern::Pattern;

/// A value that can check itself against the constraints of its schema.
///
/// Generated types implement it; the request builders call it on every
/// parameter and body before anything goes on the wire.
pub trait Validate {
    /// Records every violation of `self` in `v`, under `v`'s current field.
    fn validate(&self, v: &mut Validator);
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, v: &mut Validator) {
        if let Some(value) = self {
            value.validate(v);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, v: &mut Validator) {
        (**self).validate(v);
    }
}

/// What a violation broke.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// A required parameter, body or property was not given.
    Missing,
    /// A string shorter than `minLength` (counted in characters).
    MinLength { min: u64, actual: u64 },
    /// A string longer than `maxLength` (counted in characters).
    MaxLength { max: u64, actual: u64 },
    /// A string that does not match `pattern`.
    Pattern { pattern: &'static str },
    /// An array with fewer than `minItems` entries.
    MinItems { min: u64, actual: u64 },
    /// An array with more than `maxItems` entries.
    MaxItems { max: u64, actual: u64 },
    /// An object with fewer than `minProperties` properties.
    MinProperties { min: u64, actual: u64 },
    /// An object with more than `maxProperties` properties.
    MaxProperties { max: u64, actual: u64 },
    /// A number below `minimum` (or equal to it when exclusive).
    Minimum {
        min: String,
        exclusive: bool,
        actual: String,
    },
    /// A number above `maximum` (or equal to it when exclusive).
    Maximum {
        max: String,
        exclusive: bool,
        actual: String,
    },
    /// A value outside the schema's `enum`.
    UnknownEnumValue {
        value: String,
        expected: &'static [&'static str],
    },
    /// A path parameter that would not stay one path segment.
    NotAPathSegment { value: String },
    /// A header parameter that cannot be sent as an HTTP header value.
    NotAHeaderValue,
    /// A multipart part's media type that is not one.
    NotAMediaType,
    /// A `pattern` that does not compile.
    InvalidPattern { pattern: &'static str },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Missing => write!(f, "is required but was not set"),
            Rule::MinLength { min, actual } => {
                write!(f, "must be at least {min} characters long, got {actual}")
            }
            Rule::MaxLength { max, actual } => {
                write!(f, "must be at most {max} characters long, got {actual}")
            }
            Rule::Pattern { pattern } => write!(f, "must match the pattern `{pattern}`"),
            Rule::MinItems { min, actual } => {
                write!(f, "must have at least {min} items, got {actual}")
            }
            Rule::MaxItems { max, actual } => {
                write!(f, "must have at most {max} items, got {actual}")
            }
            Rule::MinProperties { min, actual } => {
                write!(f, "must have at least {min} properties set, got {actual}")
            }
            Rule::MaxProperties { max, actual } => {
                write!(f, "must have at most {max} properties set, got {actual}")
            }
            Rule::Minimum {
                min,
                exclusive,
                actual,
            } => {
                let relation = if *exclusive {
                    "greater than"
                } else {
                    "at least"
                };
                write!(f, "must be {relation} {min}, got {actual}")
            }
            Rule::Maximum {
                max,
                exclusive,
                actual,
            } => {
                let relation = if *exclusive { "less than" } else { "at most" };
                write!(f, "must be {relation} {max}, got {actual}")
            }
            Rule::UnknownEnumValue { value, expected } => {
                write!(
                    f,
                    "has unknown value {value:?}; expected one of {}",
                    expected.join(", ")
                )
            }
            Rule::NotAPathSegment { value } => {
                write!(f, "{value:?} cannot be sent as one path segment")
            }
            Rule::NotAHeaderValue => write!(f, "cannot be sent as an HTTP header value"),
            Rule::NotAMediaType => write!(f, "has a media type that is not one"),
            Rule::InvalidPattern { pattern } => {
                write!(
                    f,
                    "cannot be checked: the pattern `{pattern}` does not compile"
                )
            }
        }
    }
}

/// One broken constraint, located by the field's path (`body.roles[0]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Where: the parameter's wire name, or `body` followed by JSON names and indexes.
    pub field: String,
    /// What.
    pub rule: Rule,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.rule)
    }
}

/// Every violation found in one request; never empty.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

impl ValidationErrors {
    /// The violations, in the order the fields were checked.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The paths of the fields that broke a constraint.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.violations
            .iter()
            .map(|violation| violation.field.as_str())
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("request refused before sending: ")?;
        for (index, violation) in self.violations.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

/// Collects violations while generated code walks a request's inputs.
///
/// A violation's field path is written as the walk comes back out of the
/// fields around it, so that a request that breaks nothing costs no path.
#[derive(Debug, Default)]
pub struct Validator {
    violations: Vec<Violation>,
}

impl Validator {
    /// An empty validator at the root.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `check` one level down, in the field called `name` on the wire.
    pub fn field(&mut self, name: &str, check: impl FnOnce(&mut Self)) {
        let before = self.violations.len();
        check(self);
        self.prefix(before, name);
    }

    /// Runs `check` one level down, at array index `index`.
    pub fn index(&mut self, index: usize, check: impl FnOnce(&mut Self)) {
        let before = self.violations.len();
        check(self);
        if self.violations.len() > before {
            self.prefix(before, &format!("[{index}]"));
        }
    }

    /// Puts `segment` in front of the paths of the violations recorded
    /// since the `before`-th: `name` + `.child` or `name` + `[0]`.
    fn prefix(&mut self, before: usize, segment: &str) {
        for violation in &mut self.violations[before..] {
            let path = &mut violation.field;
            if !path.is_empty() && !path.starts_with('[') {
                path.insert(0, '.');
            }
            path.insert_str(0, segment);
        }
    }

    /// Checks a required input: records [`Rule::Missing`] when it is absent,
    /// runs `check` on it otherwise, and hands it back.
    pub fn required<T>(
        &mut self,
        name: &str,
        value: Option<T>,
        check: impl FnOnce(&mut Self, &T),
    ) -> Option<T> {
        self.field(name, |v| match &value {
            Some(present) => check(v, present),
            None => v.fail(Rule::Missing),
        });
        value
    }

    /// Checks an optional input when it is present.
    pub fn optional<T>(
        &mut self,
        name: &str,
        value: Option<&T>,
        check: impl FnOnce(&mut Self, &T),
    ) {
        if let Some(present) = value {
            self.field(name, |v| check(v, present));
        }
    }

    /// Records a violation at the current field.
    pub fn fail(&mut self, rule: Rule) {
        self.violations.push(Violation {
            field: String::new(),
            rule,
        });
    }

    /// `minLength`, in characters as JSON Schema counts them.
    pub fn min_length(&mut self, value: &str, min: u64) {
        let actual = value.chars().count() as u64;
        if actual < min {
            self.fail(Rule::MinLength { min, actual });
        }
    }

    /// `maxLength`, in characters as JSON Schema counts them.
    pub fn max_length(&mut self, value: &str, max: u64) {
        let actual = value.chars().count() as u64;
        if actual > max {
            self.fail(Rule::MaxLength { max, actual });
        }
    }

    /// `pattern`: like JSON Schema, unanchored unless the pattern anchors itself.
    #[cfg(feature = "patterns")]
    pub fn pattern(&mut self, value: &str, pattern: &Pattern) {
        match pattern.is_match(value) {
            Some(true) => {}
            Some(false) => self.fail(Rule::Pattern {
                pattern: pattern.as_str(),
            }),
            None => self.fail(Rule::InvalidPattern {
                pattern: pattern.as_str(),
            }),
        }
    }

    /// `minItems`.
    pub fn min_items(&mut self, len: usize, min: u64) {
        if (len as u64) < min {
            self.fail(Rule::MinItems {
                min,
                actual: len as u64,
            });
        }
    }

    /// `maxItems`.
    pub fn max_items(&mut self, len: usize, max: u64) {
        if (len as u64) > max {
            self.fail(Rule::MaxItems {
                max,
                actual: len as u64,
            });
        }
    }

    /// `minProperties`, given how many properties are set.
    pub fn min_properties(&mut self, count: usize, min: u64) {
        if (count as u64) < min {
            self.fail(Rule::MinProperties {
                min,
                actual: count as u64,
            });
        }
    }

    /// `maxProperties`, given how many properties are set.
    pub fn max_properties(&mut self, count: usize, max: u64) {
        if (count as u64) > max {
            self.fail(Rule::MaxProperties {
                max,
                actual: count as u64,
            });
        }
    }

    /// `minimum` and `exclusiveMinimum`.
    pub fn minimum<N: PartialOrd + fmt::Display>(&mut self, value: N, min: N, exclusive: bool) {
        let broken = if exclusive { value <= min } else { value < min };
        if broken {
            self.fail(Rule::Minimum {
                min: min.to_string(),
                exclusive,
                actual: value.to_string(),
            });
        }
    }

    /// `maximum` and `exclusiveMaximum`.
    pub fn maximum<N: PartialOrd + fmt::Display>(&mut self, value: N, max: N, exclusive: bool) {
        let broken = if exclusive { value >= max } else { value > max };
        if broken {
            self.fail(Rule::Maximum {
                max: max.to_string(),
                exclusive,
                actual: value.to_string(),
            });
        }
    }

    /// A value of an enum that the spec does not list.
    pub fn unknown_enum_value(&mut self, value: &str, expected: &'static [&'static str]) {
        self.fail(Rule::UnknownEnumValue {
            value: value.to_owned(),
            expected,
        });
    }

    /// A path parameter must stay one segment: URL parsers collapse `.` and
    /// `..` (even percent-encoded) and an empty one changes the route.
    pub fn path_segment(&mut self, value: &str) {
        if matches!(value, "" | "." | "..") {
            self.fail(Rule::NotAPathSegment {
                value: value.to_owned(),
            });
        }
    }

    /// A header parameter must be a valid header value.
    pub fn header_value(&mut self, value: &str) {
        if reqwest::header::HeaderValue::from_str(value).is_err() {
            self.fail(Rule::NotAHeaderValue);
        }
    }

    /// `Ok` when nothing was recorded, every violation otherwise.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors {
                violations: self.violations,
            })
        }
    }

    /// The violations recorded so far, for a caller that already knows some
    /// required input is missing (so the list is not empty).
    pub fn into_errors(self) -> ValidationErrors {
        ValidationErrors {
            violations: self.violations,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The violations `f` records, as messages.
    pub(crate) fn check(f: impl FnOnce(&mut Validator)) -> Vec<String> {
        let mut v = Validator::new();
        f(&mut v);
        match v.finish() {
            Ok(()) => Vec::new(),
            Err(errors) => errors
                .violations()
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }

    #[test]
    fn nested_paths_name_the_field() {
        let found = check(|v| {
            v.field("body", |v| {
                v.field("roles", |v| v.index(2, |v| v.fail(Rule::Missing)))
            })
        });
        assert_eq!(found, ["`body.roles[2]` is required but was not set"]);
    }

    #[test]
    fn paths_are_written_only_for_what_failed_and_each_whole() {
        let found = check(|v| {
            v.field("a", |v| {
                v.index(0, |v| {
                    v.field("b", |v| {
                        v.index(1, |v| v.index(2, |v| v.fail(Rule::Missing)))
                    })
                });
                v.field("fine", |_| {});
                v.index(3, |v| v.fail(Rule::Missing));
            });
        });
        assert_eq!(
            found,
            [
                "`a[0].b[1][2]` is required but was not set",
                "`a[3]` is required but was not set",
            ]
        );
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(check(|v| v.max_length("ééé", 3)).is_empty());
        assert_eq!(
            check(|v| v.field("desc", |v| v.max_length("éééé", 3))),
            ["`desc` must be at most 3 characters long, got 4"]
        );
        assert_eq!(check(|v| v.min_length("", 1)).len(), 1);
    }

    #[test]
    fn counts_and_bounds() {
        assert_eq!(check(|v| v.min_items(0, 1)).len(), 1);
        assert_eq!(check(|v| v.max_items(3, 2)).len(), 1);
        assert_eq!(check(|v| v.min_properties(0, 1)).len(), 1);
        assert_eq!(check(|v| v.max_properties(2, 1)).len(), 1);
        assert!(check(|v| v.minimum(5, 5, false)).is_empty());
        assert_eq!(check(|v| v.minimum(5, 5, true)).len(), 1);
        assert!(check(|v| v.maximum(5.0, 5.0, false)).is_empty());
        assert_eq!(check(|v| v.maximum(5.5, 5.0, false)).len(), 1);
    }

    #[test]
    fn path_segments_that_navigate_are_refused() {
        for value in ["", ".", ".."] {
            assert_eq!(check(|v| v.path_segment(value)).len(), 1, "{value:?}");
        }
        assert!(check(|v| v.path_segment("...")).is_empty());
    }

    #[test]
    fn required_records_missing_and_returns_the_value() {
        let mut v = Validator::new();
        let absent: Option<String> = v.required("orgId", None, |_, _| {});
        let present = v.required("name", Some("x".to_owned()), |v, value| {
            v.min_length(value, 2)
        });
        assert!(absent.is_none());
        assert_eq!(present.as_deref(), Some("x"));
        let errors = v.finish().unwrap_err();
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["orgId", "name"]);
        assert!(
            errors
                .to_string()
                .starts_with("request refused before sending: `orgId`")
        );
    }
}
