//! Regular expressions from the spec's `pattern` keyword, compiled once per
//! process on first use. Only crates whose spec has patterns enable this
//! module (the runtime's `patterns` feature), so that the others do not
//! depend on the two regex engines.
//!
//! A `pattern` is ECMA-262, where `\d`, `\w` and `\s` are ASCII digits, ASCII
//! word characters and ECMA's white space; the `regex` crate gives them
//! Unicode meanings (`١` would be a digit). `jsonschema-regex` (the
//! `jsonschema` crate's translator) rewrites them first, and `regex` keeps
//! matching in linear time, which a backtracking ECMA engine (`regress`)
//! cannot promise for values a caller passes on.

use std::sync::OnceLock;

use regex::Regex;

/// A regular expression from the spec, compiled on first use.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Compiled>>,
}

/// The `regex` crate when it can (linear time); `fancy-regex` for the
/// look-around that ECMA 262 patterns may use.
#[derive(Debug)]
enum Compiled {
    Linear(Regex),
    Backtracking(fancy_regex::Regex),
}

impl Pattern {
    /// A pattern with the spec's `pattern` text.
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the spec writes it.
    pub fn as_str(&self) -> &'static str {
        self.source
    }

    /// `None` when the pattern does not compile; the generator checks every
    /// pattern, so that only happens to hand-made patterns.
    pub(crate) fn is_match(&self, value: &str) -> Option<bool> {
        let compiled = self.compiled.get_or_init(|| {
            // Look-around and back-references come back as written, for
            // `fancy-regex`; what the translator cannot read, too.
            let source = jsonschema_regex::to_rust_regex(self.source)
                .unwrap_or(std::borrow::Cow::Borrowed(self.source));
            match Regex::new(&source) {
                Ok(regex) => Some(Compiled::Linear(regex)),
                Err(_) => fancy_regex::Regex::new(&source)
                    .ok()
                    .map(Compiled::Backtracking),
            }
        });
        match compiled.as_ref()? {
            Compiled::Linear(regex) => Some(regex.is_match(value)),
            // A pattern that exhausts its backtracking budget cannot vouch for the value.
            Compiled::Backtracking(regex) => regex.is_match(value).ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::tests::check;

    static HEX24: Pattern = Pattern::new("^([a-f0-9]{24})$");

    #[test]
    fn patterns_match_and_refuse() {
        assert!(check(|v| v.pattern("32b6e34b3d91647abb20e7b8", &HEX24)).is_empty());
        assert_eq!(
            check(|v| v.field("orgId", |v| v.pattern("not-hex", &HEX24))),
            ["`orgId` must match the pattern `^([a-f0-9]{24})$`"]
        );
    }

    #[test]
    fn look_around_patterns_work() {
        static IP: Pattern = Pattern::new(r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}$");
        assert!(check(|v| v.pattern("192.168.0.1", &IP)).is_empty());
        assert_eq!(check(|v| v.pattern("192.168.0.", &IP)).len(), 1);
    }

    #[test]
    fn shorthand_classes_mean_what_ecma_262_says() {
        static DIGITS: Pattern = Pattern::new(r"^\d+$");
        static WORD: Pattern = Pattern::new(r"^\w+$");
        static SPACE: Pattern = Pattern::new(r"^a\sb$");
        static IN_CLASS: Pattern = Pattern::new(r"^[\d.]+$");
        assert!(check(|v| v.pattern("0123", &DIGITS)).is_empty());
        // Arabic-Indic digits are digits to Unicode, not to ECMA-262.
        assert_eq!(check(|v| v.pattern("١٢٣", &DIGITS)).len(), 1);
        assert_eq!(check(|v| v.pattern("café", &WORD)).len(), 1);
        assert!(check(|v| v.pattern("snake_case_9", &WORD)).is_empty());
        // ECMA's white space holds the byte order mark, not NEL.
        assert!(check(|v| v.pattern("a\u{feff}b", &SPACE)).is_empty());
        assert_eq!(check(|v| v.pattern("a\u{85}b", &SPACE)).len(), 1);
        assert!(check(|v| v.pattern("1.2.3", &IN_CLASS)).is_empty());
        assert_eq!(check(|v| v.pattern("1.٢", &IN_CLASS)).len(), 1);
    }

    #[test]
    fn a_broken_pattern_is_a_violation_not_a_panic() {
        static BROKEN: Pattern = Pattern::new("([");
        assert_eq!(check(|v| v.pattern("x", &BROKEN)).len(), 1);
    }
}
