//! Rust names for spec names: stable, valid, and free of clashes with keywords
//! and with what generated code uses. The model decides every name with these
//! functions; validation uses them to say what lenient mode would call an
//! operation without an id.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The longest name given: longer ones keep their start and end in a hash
/// of the whole, so that they stay apart, and a file named after one stays
/// within what file systems allow.
const MAX_NAME: usize = 100;

/// `name`, at most [`MAX_NAME`] characters: a longer one is cut and ends in
/// the FNV-1a hash of `raw`, after `joiner`.
fn bounded(name: String, raw: &str, joiner: &str) -> String {
    if name.len() <= MAX_NAME {
        return name;
    }
    let hash = raw.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    // Names are ASCII here: any byte index is a character boundary.
    let keep = MAX_NAME - 8 - joiner.len();
    // A cut just after a separator would double it (`body__0ad69c8a`),
    // which is not snake case for rustc.
    let kept = name[..keep].trim_end_matches(['_', '-']);
    format!("{kept}{joiner}{hash:08X}")
}

/// The names a generated module uses unqualified, from Rust's prelude: a
/// schema or operation named like one would shadow it there, so such a
/// name takes a suffix (`Result` becomes `ResultType`, an operation
/// `Option` the builder `OptionRequest`).
const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "Vec",
];

/// A type name: `update_org-key` becomes `UpdateOrgKey`; a name of Rust's
/// prelude, or `Self`, takes `Type` (`String` becomes `StringType`).
pub fn type_name(raw: &str) -> String {
    let name = bounded(clean(raw).to_upper_camel_case(), raw, "");
    match name.chars().next() {
        None => "Unnamed".to_owned(),
        Some(first) if first.is_ascii_digit() => format!("T{name}"),
        Some(_) if name == "Self" => "SelfType".to_owned(),
        Some(_) if PRELUDE.contains(&name.as_str()) => format!("{name}Type"),
        Some(_) => name,
    }
}

/// The request builder's name for an operation: its type name, with
/// `Request` after a name an operation's file already uses (the prelude's,
/// and `Client`, which it imports) or that clippy would read as a
/// constructor's (`New`, whose builder has a `new`).
pub fn builder_name(operation_id: &str) -> String {
    let name = bounded(clean(operation_id).to_upper_camel_case(), operation_id, "");
    match name.chars().next() {
        None => "UnnamedRequest".to_owned(),
        Some(first) if first.is_ascii_digit() => format!("T{name}"),
        Some(_)
            if PRELUDE.contains(&name.as_str())
                || matches!(name.as_str(), "Client" | "ClientBuilder" | "New" | "Self") =>
        {
            format!("{name}Request")
        }
        Some(_) => name,
    }
}

/// Methods `Client` and the mock server have of their own, which an
/// operation's method must not take: such an operation's method ends in
/// `_operation` (`new` becomes `new_operation`).
pub const RESERVED_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "client",
    "clone",
    "fmt",
    "from_env",
    "inner",
    "new",
    "received_requests",
    "revoke_token",
    "start",
    "uri",
];

/// A field, method or variable name: `apiKeyId` becomes `api_key_id`;
/// keywords get a trailing underscore (`type` becomes `type_`), and so do
/// the placeholder names clippy refuses as bindings (`foo`, Slack's
/// `api.test` parameter).
pub fn field_name(raw: &str) -> String {
    let name = bounded(clean(raw).to_snake_case(), raw, "_").to_ascii_lowercase();
    let name = match name.chars().next() {
        None => "value".to_owned(),
        Some(first) if first.is_ascii_digit() => format!("n{name}"),
        Some(_) => name,
    };
    if is_keyword(&name) {
        format!("{name}_")
    } else {
        name
    }
}

/// The method that sets a struct field: `with_` and the field's name, a
/// keyword's `_` dropped (`type_` is set by `with_type`).
pub fn setter_name(field: &str) -> String {
    let bare = field
        .strip_suffix('_')
        .filter(|bare| is_keyword(bare))
        .unwrap_or(field);
    format!("with_{bare}")
}

/// Names a parameter's setter must not take: locals of `send`, and the
/// other methods of request builders and mocks (a constructs test reads
/// every method the generator writes and names a parameter after each).
pub const RESERVED_SETTERS: &[&str] = &[
    "pages",
    "stream",
    "send_resuming",
    "times",
    "responds",
    "fails",
    "client",
    "body",
    "v",
    "request",
    "response",
    "path",
    "send",
    "new",
    "media_type",
    "options",
    "followed_link",
    "into_static",
];

/// The one way names that meet are told apart: the first keeps the plain
/// name and the next count on from 2, in snake case after `_` (`start_time`,
/// `start_time_2`; a keyword's `type_` continues as `type_2`) and in camel
/// case directly (`GetPet`, `GetPet2`). `taken` holds the names already
/// given (and any reserved); the name returned joins it.
pub fn unique_in(taken: &mut std::collections::BTreeSet<String>, base: String) -> String {
    let snake = base.chars().next().is_some_and(|c| !c.is_ascii_uppercase());
    let stem = if snake {
        base.trim_end_matches('_').to_owned() + "_"
    } else {
        base.clone()
    };
    let mut name = base;
    let mut counter = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}{counter}");
        counter += 1;
    }
    name
}

/// An enum's values, each once in the spec's order, with variant names
/// and descriptions from `label` (a type name, made unique, and never
/// `Unknown` or `Unchecked`, the variants every enum has besides).
pub fn enum_values<T: PartialEq>(
    values: Vec<T>,
    label: impl Fn(&T) -> (String, Option<String>),
) -> Vec<crate::model::EnumValue<T>> {
    let mut used = std::collections::BTreeSet::from(["Unknown".to_owned(), "Unchecked".to_owned()]);
    let mut out: Vec<crate::model::EnumValue<T>> = Vec::with_capacity(values.len());
    for value in values {
        if out.iter().any(|seen| seen.value == value) {
            continue;
        }
        let (name, description) = label(&value);
        out.push(crate::model::EnumValue {
            rust_name: unique_in(&mut used, name),
            description,
            value,
        });
    }
    out
}

/// The variant a number enum's value gets when the spec names none: its
/// shortest text with `V` or `Minus` before it and `_` for `.` (`V3`,
/// `V0_25`, `Minus1_5`). Distinct values have distinct texts.
pub fn number_variant(text: &str) -> String {
    let digits = text.trim_start_matches('-').replace(['.', '+'], "_");
    if text.starts_with('-') {
        format!("Minus{digits}")
    } else {
        format!("V{digits}")
    }
}

/// The operationId lenient mode gives an operation that has none: the
/// method and the path's words, parameters as `By…`
/// (`GET /pets/{petId}/toys` becomes `getPetsByPetIdToys`).
/// An environment variable's name from `parts`, in upper snake case with
/// ASCII letters and digits only: `["pets-api", "headerKey", "user"]`
/// becomes `PETS_API_HEADER_KEY_USER`.
pub fn env_var_name(parts: &[&str]) -> String {
    use heck::ToShoutySnakeCase;
    let ascii: String = parts
        .join(" ")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    ascii.to_shouty_snake_case()
}

pub fn derived_operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_lowercase();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        let (prefix, word) = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(parameter) => ("By", parameter),
            None => ("", segment),
        };
        let word = type_name(word);
        if word != "Unnamed" {
            id.push_str(prefix);
            id.push_str(&word);
        }
    }
    id
}

/// Keeps letters and digits, turning everything else into word breaks.
fn clean(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn is_keyword(name: &str) -> bool {
    // Keywords, and `clippy::disallowed_names`' default list.
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
        "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
        "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
        "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
        "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "foo", "baz",
        "quux",
    ];
    KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_count_from_two_without_doubling_underscores() {
        let mut taken = std::collections::BTreeSet::new();
        let names: Vec<String> = ["start_time", "start_time", "type_", "type_", "start_time"]
            .into_iter()
            .map(|base| unique_in(&mut taken, base.to_owned()))
            .collect();
        assert_eq!(
            names,
            [
                "start_time",
                "start_time_2",
                "type_",
                "type_2",
                "start_time_3"
            ]
        );
    }

    #[test]
    fn long_names_are_cut_and_kept_apart() {
        let long = "a".repeat(1000);
        let other = format!("{long}b");
        assert_eq!(type_name(&long).len(), 100);
        assert_eq!(field_name(&long).len(), 100);
        assert_ne!(type_name(&long), type_name(&other));
        assert_ne!(field_name(&long), field_name(&other));
        assert!(field_name(&long).ends_with(|c: char| c.is_ascii_hexdigit()));
        assert_eq!(type_name(&"b".repeat(100)), format!("B{}", "b".repeat(99)));
    }

    #[test]
    fn enum_values_leave_the_two_variants_every_enum_has() {
        let values = enum_values(
            ["unknown", "unchecked", "UNCHECKED", "unknown"]
                .map(str::to_owned)
                .to_vec(),
            |value| (type_name(value), None),
        );
        let names: Vec<&str> = values
            .iter()
            .map(|value| value.rust_name.as_str())
            .collect();
        assert_eq!(names, ["Unknown2", "Unchecked2", "Unchecked3"]);
    }

    #[test]
    fn names_for_values_are_in_rust_case_and_kept_apart() {
        let given = ["low", "medium_level", "medium level", "unknown"];
        let values = enum_values(vec![0, 1, 1, 2, -3, 4], |value| {
            let name = match *value {
                -3 => type_name(given[3]),
                0..=2 => type_name(given[*value as usize]),
                other => number_variant(&other.to_string()),
            };
            (name, None)
        });
        let names: Vec<(i64, &str)> = values
            .iter()
            .map(|value| (value.value, value.rust_name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (0, "Low"),
                (1, "MediumLevel"),
                (2, "MediumLevel2"),
                (-3, "Unknown2"),
                (4, "V4")
            ]
        );
        assert_eq!(number_variant("-0.25"), "Minus0_25");
        assert_eq!(number_variant("3"), "V3");
    }

    #[test]
    fn camel_case_names_count_on_without_an_underscore() {
        let mut taken = std::collections::BTreeSet::from(["Unknown".to_owned()]);
        let names: Vec<String> = ["GetPet", "GetPet", "Unknown", "Self_", "Self_"]
            .into_iter()
            .map(|base| unique_in(&mut taken, base.to_owned()))
            .collect();
        assert_eq!(names, ["GetPet", "GetPet2", "Unknown2", "Self_", "Self_2"]);
    }

    #[test]
    fn prelude_names_take_a_suffix() {
        assert_eq!(type_name("Result"), "ResultType");
        assert_eq!(type_name("string"), "StringType");
        assert_eq!(type_name("Fields"), "Fields");
        assert_eq!(builder_name("Client"), "ClientRequest");
        assert_eq!(builder_name("option"), "OptionRequest");
        assert_eq!(builder_name("getPet"), "GetPet");
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("ApiError"), "ApiError");
        assert_eq!(type_name("updateOrgApiKey"), "UpdateOrgApiKey");
        assert_eq!(type_name("ORG_OWNER"), "OrgOwner");
        assert_eq!(type_name("2xx-thing"), "T2xxThing");
        assert_eq!(type_name("application/vnd.x+json"), "ApplicationVndXJson");
        assert_eq!(type_name("--"), "Unnamed");
    }

    #[test]
    fn a_long_name_cut_after_a_separator_does_not_double_it() {
        // Box's metadata template bodies: every cut position, one at a `_`.
        for offset in 0..12 {
            let raw = format!("{}{}", "a".repeat(offset), "_word".repeat(40));
            let name = field_name(&raw);
            assert!(!name.contains("__"), "{raw}: {name}");
            assert!(name.len() <= MAX_NAME, "{name}");
        }
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("apiKeyId"), "api_key_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        // Placeholder names clippy refuses as bindings (Slack's `api.test`).
        assert_eq!(field_name("foo"), "foo_");
        assert_eq!(setter_name(&field_name("foo")), "with_foo");
        assert_eq!(field_name("9lives"), "n9lives");
        assert_eq!(field_name("$"), "value");
        assert_eq!(field_name("X-Request-Id"), "x_request_id");
    }
}
