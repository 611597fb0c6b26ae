//! YAML text into a JSON tree, built node by node as the parser reads the
//! text, reading every value as `serde_norway::from_str::<serde_json::Value>`
//! does (the tests compare the two on every document we have).
//!
//! Why not serde_norway itself: it keeps every event of the document in a
//! list until the tree is built, so its parse peaks at more than twice the
//! tree (docs/BENCHMARKS.md, "Regen memory"); here only the open
//! collections and anchored nodes are held besides the tree. The events
//! come from `yaml-rust2`, the parser `locate` already uses to find lines,
//! so a node is read where it is placed.

use std::collections::HashMap;

use serde_json::{Map, Value};
use yaml_rust2::Event;
use yaml_rust2::parser::{Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// How deeply collections may nest, aliases included: serde_norway's limit.
const MAX_DEPTH: usize = 128;

/// An alias may be followed at most this many times per node event of the
/// document (serde_norway's bound, which stops "billion laughs" documents).
const JUMPS_PER_EVENT: usize = 100;

/// What aliases may copy into the tree in all, in bytes of memory as
/// [`NODE_BYTES`] counts them: a jump budget counts aliases, not what each
/// copies, so a 100 KB string aliased 20,000 times stayed within it and
/// grew 2 GB; and counting a node as one byte let a wide list aliased
/// thousands of times reach 2.4 GiB. A spec's aliases copy a few
/// kilobytes; 64 MiB leaves room for any.
pub const MAX_ALIAS_EXPANSION: usize = 64 << 20;

/// What one node takes in the tree besides its text, about: its `Value`
/// and its place in a list or a map (a key's `String`, the map's entry).
const NODE_BYTES: usize = 64;

/// YAML's core tags, as the parser expands `!!`.
const CORE: &str = "tag:yaml.org,2002:";

/// Why the text is not a tree: the 1-based line, where known, and what.
#[derive(Debug)]
pub struct YamlError {
    pub line: Option<usize>,
    pub message: String,
}

/// The single document of `text` as a JSON tree; an empty text is `null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let mut builder = Builder {
        // Room for alias expansion before the document's length is known;
        // the exact bound is checked at the end.
        jump_budget: JUMPS_PER_EVENT.saturating_mul(text.len().saturating_add(2)),
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|error| located(error.info(), error.marker()))?;
        let at = |message: String| located(&message, &mark);
        match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::DocumentStart => {
                builder.documents += 1;
                if builder.documents > 1 {
                    return Err(at(
                        "deserializing from YAML containing more than one document is not supported"
                            .to_owned(),
                    ));
                }
            }
            event => builder.on_node_event(event).map_err(at)?,
        }
    }
    if builder.jumps > JUMPS_PER_EVENT.saturating_mul(builder.events) {
        return Err(YamlError {
            line: None,
            message: "repetition limit exceeded".to_owned(),
        });
    }
    Ok(builder.root.unwrap_or(Value::Null))
}

/// `message` at `mark`, with its line and column in the text too.
fn located(message: &str, mark: &Marker) -> YamlError {
    YamlError {
        line: Some(mark.line()),
        message: format!(
            "{message} at line {} column {}",
            mark.line(),
            mark.col() + 1
        ),
    }
}

/// A collection being read, with the anchor its node carries.
struct Open {
    collection: Collection,
    anchor: usize,
    /// Alias jumps made before it opened, to count those inside it.
    jumps_before: usize,
    /// The tree's size when it opened, to measure it.
    size_before: usize,
}

enum Collection {
    Sequence(Vec<Value>),
    /// Entries so far, and the key read that waits for its value.
    Mapping(Map<String, Value>, Option<String>),
}

/// A node kept for the aliases to it.
struct Anchored {
    /// Its value, or why a scalar has none (a tag that does not fit).
    value: Result<Value, String>,
    /// A scalar's text, which it has as a mapping key.
    text: Option<String>,
    /// How deep its collections nest.
    depth: usize,
    /// How many alias jumps reading it makes.
    jumps: usize,
    /// Its size, as [`Builder::size`] counts it.
    size: usize,
}

#[derive(Default)]
struct Builder {
    open: Vec<Open>,
    root: Option<Value>,
    anchors: HashMap<usize, Anchored>,
    /// Node events read (scalars, aliases, collection starts and ends).
    events: usize,
    documents: usize,
    jumps: usize,
    jump_budget: usize,
    /// The tree's size so far: scalar bytes, plus [`NODE_BYTES`] per node.
    size: usize,
    /// What aliases have copied, in the same measure.
    expanded: usize,
}

impl Builder {
    fn on_node_event(&mut self, event: Event) -> Result<(), String> {
        self.events += 1;
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.size += text.len() + NODE_BYTES;
                // A key is its text whatever it reads as (`200:` is "200").
                let key = self.wants_key();
                if anchor == 0 {
                    if key {
                        self.set_key(text);
                    } else {
                        self.place(scalar_value(text, style, tag.as_ref())?);
                    }
                    return Ok(());
                }
                // Kept for aliases, which may use it as a value or a key.
                let value = scalar_value(text.clone(), style, tag.as_ref());
                let anchored = Anchored {
                    value: value.clone(),
                    text: Some(text.clone()),
                    depth: 0,
                    jumps: 0,
                    size: text.len() + NODE_BYTES,
                };
                self.anchors.insert(anchor, anchored);
                if key {
                    self.set_key(text);
                } else {
                    self.place(value?);
                }
            }
            Event::Alias(anchor) => {
                let Some(anchored) = self.anchors.get(&anchor) else {
                    return Err("unknown anchor".to_owned());
                };
                self.jumps += 1 + anchored.jumps;
                if self.jumps > self.jump_budget {
                    return Err("repetition limit exceeded".to_owned());
                }
                self.expanded = self.expanded.saturating_add(anchored.size);
                self.size = self.size.saturating_add(anchored.size);
                if self.expanded > MAX_ALIAS_EXPANSION {
                    return Err(format!(
                        "aliases copy more than {} MiB into the document (the limit, which stops a small file from expanding without bound)",
                        MAX_ALIAS_EXPANSION >> 20
                    ));
                }
                if self.wants_key() {
                    let text = anchored.text.clone().ok_or_else(collection_key)?;
                    self.set_key(text);
                } else if self.open.len() + anchored.depth > MAX_DEPTH {
                    return Err("recursion limit exceeded".to_owned());
                } else {
                    let value = anchored.value.clone()?;
                    self.place(value);
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if self.wants_key() {
                    return Err(collection_key());
                }
                if local(tag.as_ref()) {
                    return Err("invalid type: a tagged collection (serde_norway reads a tag as an enum variant), expected any valid JSON value".to_owned());
                }
                if self.open.len() >= MAX_DEPTH {
                    return Err("recursion limit exceeded".to_owned());
                }
                let collection = if matches!(event, Event::SequenceStart(..)) {
                    Collection::Sequence(Vec::new())
                } else {
                    Collection::Mapping(Map::new(), None)
                };
                self.size += NODE_BYTES;
                self.open.push(Open {
                    collection,
                    anchor,
                    jumps_before: self.jumps,
                    size_before: self.size,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.open.pop() else {
                    return Err("a collection ends that never started".to_owned());
                };
                let value = match open.collection {
                    Collection::Sequence(items) => Value::Array(items),
                    Collection::Mapping(entries, _) => Value::Object(entries),
                };
                if open.anchor > 0 {
                    let anchored = Anchored {
                        depth: depth_of(&value),
                        jumps: self.jumps - open.jumps_before,
                        size: self.size - open.size_before + NODE_BYTES,
                        value: Ok(value.clone()),
                        text: None,
                    };
                    self.anchors.insert(open.anchor, anchored);
                }
                self.place(value);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
        Ok(())
    }

    /// Whether the next node is a mapping key.
    fn wants_key(&self) -> bool {
        matches!(
            self.open.last(),
            Some(Open {
                collection: Collection::Mapping(_, None),
                ..
            })
        )
    }

    /// Records the key of the entry being read.
    fn set_key(&mut self, text: String) {
        if let Some(Open {
            collection: Collection::Mapping(_, key),
            ..
        }) = self.open.last_mut()
        {
            *key = Some(text);
        }
    }

    /// Puts a finished node where it belongs: into the open collection, or
    /// as the document.
    fn place(&mut self, value: Value) {
        match self.open.last_mut() {
            None => self.root = Some(value),
            Some(Open {
                collection: Collection::Sequence(items),
                ..
            }) => items.push(value),
            Some(Open {
                collection: Collection::Mapping(entries, key),
                ..
            }) => {
                // A repeated key keeps its first place and its last value,
                // as serde_json's map does under serde_norway.
                entries.insert(key.take().unwrap_or_default(), value);
            }
        }
    }
}

fn collection_key() -> String {
    "invalid type: a collection as a mapping key, expected a string".to_owned()
}

/// Whether `tag` is a local one (`!name`), which serde_norway reads as the
/// variant of a Rust enum, so not as a JSON value.
fn local(tag: Option<&Tag>) -> bool {
    tag.is_some_and(|tag| tag.handle.starts_with('!'))
}

/// A scalar's value, read as serde_norway reads it.
fn scalar_value(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag {
        if local(Some(tag)) {
            return Err(format!(
                "invalid type: the tagged scalar `{}{}` (tags name Rust enums in serde_norway), expected any valid JSON value",
                tag.handle, tag.suffix
            ));
        }
        if tag.handle == CORE {
            let expected = match tag.suffix.as_str() {
                "bool" => Some((parse_bool(&text).map(Value::Bool), "a boolean")),
                "int" => Some((parse_int(&text), "an integer")),
                "float" => Some((parse_f64(&text).map(Value::from), "a float")),
                "null" => Some((is_null(&text).then_some(Value::Null), "null")),
                _ => None,
            };
            if let Some((value, expected)) = expected {
                return value
                    .ok_or_else(|| format!("invalid value: string {text:?}, expected {expected}"));
            }
        }
        return Ok(Value::String(text));
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::String(text));
    }
    Ok(plain(text))
}

/// An untagged plain scalar: null, a boolean, an integer, a float or else
/// a string, tried in serde_norway's order.
fn plain(text: String) -> Value {
    // Most scalars of a spec are words, which none of the forms starts with.
    let Some(&first) = text.as_bytes().first() else {
        return Value::Null;
    };
    if !matches!(
        first,
        b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F'
    ) {
        return Value::String(text);
    }
    if is_null(&text) {
        return Value::Null;
    }
    if let Some(boolean) = parse_bool(&text) {
        return Value::Bool(boolean);
    }
    if let Some(int) = parse_int(&text) {
        return int;
    }
    if !digits_but_not_number(&text)
        && let Some(float) = parse_f64(&text)
    {
        return Value::from(float);
    }
    Value::String(text)
}

fn is_null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer in any of YAML's notations, as serde_norway tries them. One
/// beyond 64 bits is read as the nearest float, as serde_json reads it in
/// JSON text (serde_norway refuses the document: "JSON number out of
/// range", for a bound such as OpenAI's `minimum: -9223372036854776000`).
fn parse_int(text: &str) -> Option<Value> {
    if let Some(int) = parse_unsigned(text, u64::from_str_radix) {
        return Some(Value::from(int));
    }
    if let Some(int) = parse_negative(text, i64::from_str_radix) {
        return Some(Value::from(int));
    }
    if let Some(int) = parse_unsigned(text, u128::from_str_radix) {
        return Some(Value::from(int as f64));
    }
    if let Some(int) = parse_negative(text, i128::from_str_radix) {
        return Some(Value::from(int as f64));
    }
    None
}

type Radix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

/// Hexadecimal, octal and binary prefixes, in serde_norway's order.
const PREFIXES: [(&str, u32); 3] = [("0x", 16), ("0o", 8), ("0b", 2)];

fn parse_unsigned<T>(text: &str, from_str_radix: Radix<T>) -> Option<T> {
    let unpositive = text.strip_prefix('+').unwrap_or(text);
    for (prefix, radix) in PREFIXES {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(text) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

fn parse_negative<T>(text: &str, from_str_radix: Radix<T>) -> Option<T> {
    for (prefix, radix) in PREFIXES {
        if let Some(rest) = text
            .strip_prefix('-')
            .and_then(|rest| rest.strip_prefix(prefix))
            && let Ok(int) = from_str_radix(&format!("-{rest}"), radix)
        {
            return Some(int);
        }
    }
    if digits_but_not_number(text) {
        return None;
    }
    from_str_radix(text, 10).ok()
}

fn parse_f64(text: &str) -> Option<f64> {
    let unpositive = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match (unpositive, text) {
        (".inf" | ".Inf" | ".INF", _) => Some(f64::INFINITY),
        (_, "-.inf" | "-.Inf" | "-.INF") => Some(f64::NEG_INFINITY),
        (_, ".nan" | ".NaN" | ".NAN") => Some(f64::NAN),
        _ => unpositive
            .parse::<f64>()
            .ok()
            .filter(|float| float.is_finite()),
    }
}

/// Zeros followed by digits (`007`): a string in YAML 1.2.
fn digits_but_not_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

/// How deeply the collections of `value` nest (a scalar is 0).
fn depth_of(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth_of).max().unwrap_or(0),
        Value::Object(entries) => 1 + entries.values().map(depth_of).max().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ours and serde_norway's reading of `text`, each as JSON text (so the
    /// order of keys counts) or `Err` with the message.
    fn both(text: &str) -> (Result<String, String>, Result<String, String>) {
        let ours = parse(text)
            .map(|value| value.to_string())
            .map_err(|error| error.message);
        let theirs = serde_norway::from_str::<Value>(text)
            .map(|value| value.to_string())
            .map_err(|error| error.to_string());
        (ours, theirs)
    }

    #[track_caller]
    fn same(text: &str) {
        match both(text) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{text:?}"),
            (Err(_), Err(_)) => {}
            (ours, theirs) => panic!("{text:?}: ours {ours:?}, serde_norway's {theirs:?}"),
        }
    }

    #[test]
    fn integers_beyond_64_bits_are_the_nearest_float_as_in_json() {
        // serde_norway refuses these ("JSON number out of range"), which
        // refused OpenAI's whole document for one bound.
        for (text, float) in [
            ("18446744073709551616", 18_446_744_073_709_551_616.0),
            ("-9223372036854775809", -9_223_372_036_854_775_809.0),
            ("-9223372036854776000", -9_223_372_036_854_776_000.0),
            ("0x10000000000000000", 18_446_744_073_709_551_616.0),
        ] {
            assert_eq!(parse(text).expect(text), Value::from(float), "{text}");
            if !text.starts_with("0x") {
                let json: Value = serde_json::from_str(text).expect(text);
                assert_eq!(parse(text).expect(text), json, "{text}");
            }
        }
    }

    #[test]
    fn scalars_read_as_serde_norway_reads_them() {
        let scalars = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "false",
            "FALSE",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "0",
            "-0",
            "+0",
            "7",
            "+7",
            "-7",
            "007",
            "-007",
            "+007",
            "0.5",
            "1e3",
            "1E-3",
            "-1.5e+10",
            "1e400",
            "-1e400",
            ".5",
            "5.",
            "0x1F",
            "0x1f",
            "-0x1F",
            "+0x1F",
            "0x-1",
            "0o17",
            "-0o17",
            "0b101",
            "-0b101",
            "0xFFFFFFFFFFFFFFFF",
            "18446744073709551615",
            "-9223372036854775808",
            "340282366920938463463374607431768211456",
            "1_000",
            "12:30",
            "2024-01-01",
            "2024-01-01T00:00:00Z",
            ".inf",
            ".Inf",
            "+.inf",
            "-.inf",
            "-.INF",
            ".nan",
            ".NaN",
            "+.nan",
            "nan",
            "inf",
            "infinity",
            "-",
            "+",
            ".",
            "..",
            "+-1",
            "--1",
            "1.2.3",
            "0.",
            "+.5",
            "1__2",
            "0x",
            "0o",
            "0b",
            "0xG",
            "💡",
            "n/a",
            "tree",
            "f",
        ];
        for scalar in scalars {
            same(&format!("value: {scalar}\n"));
            same(&format!("- {scalar}\n"));
            if !scalar.is_empty() {
                same(&format!("{scalar}: key\n"));
            }
            same(&format!("value: '{scalar}'\n"));
            same(&format!("value: \"{scalar}\"\n"));
        }
    }

    #[test]
    fn tags_read_as_serde_norway_reads_them() {
        for text in [
            "a: !!str 123\n",
            "a: !!int 123\n",
            "a: !!int 0x1F\n",
            "a: !!int abc\n",
            "a: !!float 1\n",
            "a: !!float one\n",
            "a: !!bool true\n",
            "a: !!bool yes\n",
            "a: !!null ~\n",
            "a: !!null x\n",
            "a: !!binary aGk=\n",
            "a: !!map {b: 1}\n",
            "a: !!seq [1]\n",
            "a: !local 1\n",
            "a: !local {b: 1}\n",
            "a: !local [1]\n",
            "!!str 1: b\n",
            "!local k: b\n",
            "a: !!str\n",
        ] {
            same(text);
        }
    }

    #[test]
    fn structure_reads_as_serde_norway_reads_it() {
        for text in [
            "",
            "# only a comment\n",
            "---\n",
            "--- 3\n",
            "---\na: 1\n...\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\na: 2\nb: 3\n",
            "b: 1\na: 2\nb: 3\n",
            "a:\n  - 1\n  - [2, {c: d}]\n  - {}\n  - []\n",
            "? [a]\n: b\n",
            "? {a: 1}\n: b\n",
            "a: &x {b: 1, c: [2, 3]}\nd: *x\ne: *x\n",
            "a: &x 5\n*x : y\n",
            "a: &x [1]\n*x : y\n",
            "a: *missing\n",
            "a: &x 1\nb: &x 2\nc: *x\n",
            "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
            "text: |\n  one\n  two\n\nfolded: >\n  one\n  two\n\n  three\nkeep: |+\n  k\n\nstrip: >-\n  s\n",
            "multi: this is\n  one line\n",
            "quoted: \"a\\tb\\u00e9\\\"c\"\nsingle: 'it''s'\n",
            "empty:\nalso: ~\n",
            "- a\n- - b\n  - c\n",
            "a: [1, 2\n",
            "a: {b: 1\n",
            "a: b: c\n",
        ] {
            same(text);
        }
    }

    #[test]
    fn where_the_parsers_differ_ours_is_the_more_lenient() {
        // yaml-rust2 follows YAML 1.2 where libyaml (serde_norway's parser)
        // refuses: an empty key, a tab before a top-level key.
        for (text, value) in [(": key\n", r#"{"":"key"}"#), ("\ta: 1\n", r#"{"a":1}"#)] {
            let (ours, theirs) = both(text);
            assert_eq!(ours.as_deref(), Ok(value), "{text:?}");
            assert!(theirs.is_err(), "{text:?}");
        }
    }

    #[test]
    fn nesting_is_bounded_as_in_serde_norway() {
        let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        same(&nested(128));
        same(&nested(129));
        assert!(parse(&nested(128)).is_ok());
        let error = parse(&nested(129)).expect_err("too deep");
        assert!(error.message.contains("recursion limit"), "{error:?}");
        // Through an alias: 64 levels placed 65 deep.
        let anchored = format!(
            "a: &x {}\nb: {}\n",
            nested(64),
            "[".repeat(64) + "*x" + &"]".repeat(64)
        );
        same(&anchored);
        let deeper = format!(
            "a: &x {}\nb: {}\n",
            nested(64),
            "[".repeat(65) + "*x" + &"]".repeat(65)
        );
        same(&deeper);
        assert!(parse(&deeper).is_err());
    }

    #[test]
    fn alias_bombs_are_refused_before_they_grow() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..=9 {
            let previous = format!("*a{}", level - 1);
            let items = vec![previous; 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let error = parse(&text).expect_err("a billion laughs");
        assert!(error.message.contains("repetition limit"), "{error:?}");
        assert!(serde_norway::from_str::<Value>(&text).is_err());
        // A handful of aliases is fine.
        same("a: &a [1, 2]\nb: [*a, *a, *a]\n");
    }

    #[test]
    fn aliases_that_copy_large_nodes_are_refused_where_they_pass_the_limit() {
        // A 100 KB string aliased 20,000 times: few jumps, 2 GB copied.
        let mut text = format!("big: &s \"{}\"\ncopies:\n", "x".repeat(100_000));
        text.push_str(&"  - *s\n".repeat(20_000));
        let error = parse(&text).expect_err("a string bomb");
        assert!(
            error.message.contains("aliases copy more than 64 MiB"),
            "{error:?}"
        );
        // The first alias past the limit: about 670 copies in.
        assert!(
            error.line.is_some_and(|line| (600..700).contains(&line)),
            "{error:?}"
        );
        // A 20,000-item list aliased 20,000 times: 400 million nodes. Each
        // copy is 20,000 nodes, about 1.3 MB in the tree: refused about 50
        // copies in, well before memory grows past the limit (counting a
        // node as one byte let it reach 3,300 copies, 2.4 GiB resident).
        let mut text = format!("big: &l [{}]\ncopies:\n", vec!["1"; 20_000].join(", "));
        text.push_str(&"  - *l\n".repeat(20_000));
        let error = parse(&text).expect_err("a list bomb");
        assert!(
            error.message.contains("aliases copy more than"),
            "{error:?}"
        );
        assert!(
            error.line.is_some_and(|line| (40..70).contains(&line)),
            "{error:?}"
        );
    }

    #[test]
    fn errors_carry_the_line() {
        let error = parse("a: 1\nb: [1, 2\n").expect_err("unclosed");
        assert!(error.line.is_some(), "{error:?}");
        let error = parse("a: 1\nb: *nowhere\n").expect_err("unknown anchor");
        assert_eq!(error.line, Some(2), "{error:?}");
        assert!(error.message.contains("line 2"), "{error:?}");
    }
}
