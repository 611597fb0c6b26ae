//! Path templates (`/orgs/{orgId}/apiKeys/{apiUserId}`): parsed once, and
//! asked for their parameter names (validation, the model's parameter order)
//! or turned into a format string with its arguments in order (emission);
//! and the path parameters an operation declares, which they must match
//! (validation, and lenient mode's repair in load).

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

/// The names of the `in: path` parameters in a parameter list of the
/// document `root` (references followed).
pub fn declared_path_parameters(root: &Value, list: Option<&Value>) -> BTreeSet<String> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|parameter| crate::refs::node(root, parameter))
        .filter(|parameter| parameter.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|parameter| {
            parameter
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}

/// A parsed path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    raw: String,
    parts: Vec<Part>,
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text sent as it is.
    Literal(String),
    /// `{name}`: a path parameter.
    Parameter(String),
}

impl PathTemplate {
    /// Parses `path`; a `{` without its `}` is literal text.
    pub fn parse(path: &str) -> Self {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(length) = rest[start..].find('}') else {
                break;
            };
            if start > 0 {
                parts.push(Part::Literal(rest[..start].to_owned()));
            }
            parts.push(Part::Parameter(rest[start + 1..start + length].to_owned()));
            rest = &rest[start + length + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_owned()));
        }
        Self {
            raw: path.to_owned(),
            parts,
        }
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Its pieces, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The parameter names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Parameter(name) => Some(name.as_str()),
            Part::Literal(_) => None,
        })
    }
}

impl fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_in_order() {
        let template = PathTemplate::parse("/a/{x}/b/{y}");
        assert_eq!(template.names().collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(PathTemplate::parse("/a").names().count(), 0);
        assert_eq!(template.as_str(), "/a/{x}/b/{y}");
    }

    #[test]
    fn other_braces_are_text() {
        let template = PathTemplate::parse("/a/{x}.json/}");
        assert_eq!(
            template.parts(),
            [
                Part::Literal("/a/".to_owned()),
                Part::Parameter("x".to_owned()),
                Part::Literal(".json/}".to_owned())
            ]
        );
        let unclosed = PathTemplate::parse("/a/{x");
        assert_eq!(unclosed.parts(), [Part::Literal("/a/{x".to_owned())]);
    }

    #[test]
    fn parameters_next_to_each_other_stay_apart() {
        let template = PathTemplate::parse("/{a}{b}");
        assert_eq!(
            template.parts(),
            [
                Part::Literal("/".to_owned()),
                Part::Parameter("a".to_owned()),
                Part::Parameter("b".to_owned())
            ]
        );
    }
}
