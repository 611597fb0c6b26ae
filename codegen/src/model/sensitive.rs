//! Properties that `codegen.toml` names as secrets, for specs that mark
//! them neither `format: password` nor `x-sensitive: true` (a published
//! spec the project extracts from cannot be edited).

use crate::diagnostic::pointer;

/// The `sensitive` entries of the configuration, and which of them matched.
#[derive(Debug, Default)]
pub struct SensitiveProperties {
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    /// `None` for `*`: the property in every schema.
    schema: Option<String>,
    property: String,
    matched: bool,
}

impl SensitiveProperties {
    /// Rules from `Schema.property` or `*.property` entries, already checked
    /// by [`crate::config::Config::read`].
    pub fn new(entries: &[String]) -> Self {
        let rules = entries
            .iter()
            .filter_map(|entry| entry.split_once('.'))
            .map(|(schema, property)| Rule {
                schema: (schema != "*").then(|| schema.to_owned()),
                property: property.to_owned(),
                matched: false,
            })
            .collect();
        Self { rules }
    }

    /// Whether the string schema at `at`, a JSON pointer, is a property a
    /// rule names; a component schema's properties, `allOf` members
    /// included, belong to that component.
    pub fn contains(&mut self, at: &str) -> bool {
        let Some((schema, property)) = schema_and_property(at) else {
            return false;
        };
        let mut found = false;
        for rule in &mut self.rules {
            if rule.property == property
                && rule
                    .schema
                    .as_ref()
                    .is_none_or(|name| Some(name) == schema.as_ref())
            {
                rule.matched = true;
                found = true;
            }
        }
        found
    }

    /// Entries that matched no string property, with the place they name.
    pub fn unmatched(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.rules.iter().filter(|rule| !rule.matched).map(|rule| {
            let schema = rule.schema.as_deref().unwrap_or("*");
            let place = match &rule.schema {
                Some(name) => pointer("#/components/schemas", &[name]),
                None => "#/components/schemas".to_owned(),
            };
            (format!("{schema}.{}", rule.property), place)
        })
    }
}

/// The component schema (if any) and the property a pointer ends in:
/// `#/components/schemas/A/allOf/1/properties/b` gives `(Some("A"), "b")`.
fn schema_and_property(at: &str) -> Option<(Option<String>, String)> {
    let segments: Vec<String> = at
        .strip_prefix("#/")?
        .split('/')
        .map(crate::diagnostic::unescape_segment)
        .collect();
    let [.., parent, property] = segments.as_slice() else {
        return None;
    };
    if parent != "properties" {
        return None;
    }
    let schema = match segments.as_slice() {
        [components, schemas, name, ..] if components == "components" && schemas == "schemas" => {
            Some(name.clone())
        }
        _ => None,
    };
    Some((schema, property.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(entries: &[&str]) -> SensitiveProperties {
        SensitiveProperties::new(&entries.iter().map(|e| e.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_named_schema_and_property_match_there_only() {
        let mut sensitive = rules(&["Key.private"]);
        assert!(sensitive.contains("#/components/schemas/Key/properties/private"));
        assert!(sensitive.contains("#/components/schemas/Key/allOf/1/properties/private"));
        assert!(!sensitive.contains("#/components/schemas/Other/properties/private"));
        assert!(!sensitive.contains("#/components/schemas/Key/properties/public"));
        assert!(!sensitive.contains("#/components/schemas/Key/properties/private/items"));
        assert_eq!(sensitive.unmatched().count(), 0);
    }

    #[test]
    fn a_star_matches_every_schema_and_inline_bodies() {
        let mut sensitive = rules(&["*.secret", "Nowhere.thing"]);
        assert!(sensitive.contains("#/components/schemas/A/properties/secret"));
        assert!(sensitive.contains(
            "#/paths/~1keys/post/requestBody/content/application~1json/schema/properties/secret"
        ));
        assert!(!sensitive.contains("#/components/schemas/A/properties/secrets"));
        let unmatched: Vec<_> = sensitive.unmatched().collect();
        assert_eq!(
            unmatched,
            [(
                "Nowhere.thing".to_owned(),
                "#/components/schemas/Nowhere".to_owned()
            )]
        );
    }

    #[test]
    fn escaped_segments_are_read() {
        let mut sensitive = rules(&["A/B.x~y"]);
        assert!(sensitive.contains("#/components/schemas/A~1B/properties/x~0y"));
    }
}
