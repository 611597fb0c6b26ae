//! Finds the source lines of JSON pointers in the spec's text, for
//! diagnostics: every pointer asked for in one pass over the text, so that
//! a document with thousands of diagnostics is read once, not once each.

use std::collections::HashMap;

use yaml_rust2::Event;
use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::escape_segment;

/// The 1-based line where the node at each of `pointers` (`#/a/b/0`)
/// starts (for a mapping value, the line of its key), or `None` where the
/// text has no such node. `json` text is scanned as JSON, whose string
/// escapes (`\/`) YAML does not all accept.
pub fn lines_of(text: &str, json: bool, pointers: &[&str]) -> Vec<Option<usize>> {
    let mut finder = Finder {
        wanted: pointers.iter().map(|pointer| (*pointer, None)).collect(),
        left: pointers.len(),
        current: String::from("#"),
        frames: Vec::new(),
    };
    if json {
        scan_json(text, &mut finder);
    } else {
        // A syntax error after the nodes were found does not matter here.
        let _ = Parser::new_from_str(text).load(&mut finder, false);
    }
    pointers
        .iter()
        .map(|pointer| finder.wanted.get(pointer).copied().flatten())
        .collect()
}

/// An open container, and what its next child is called.
enum Frame {
    /// The key waiting for its value, with the key's line; and how long
    /// the current pointer was when the mapping opened.
    Map(Option<(String, usize)>, usize),
    /// The index of the next item; and the pointer's length at the start.
    Seq(usize, usize),
}

struct Finder<'a> {
    /// Every pointer asked for, with its line once found.
    wanted: HashMap<&'a str, Option<usize>>,
    /// How many are still to find.
    left: usize,
    /// The pointer of the innermost open container.
    current: String,
    frames: Vec<Frame>,
}

impl Finder<'_> {
    /// A node starts at `line`; the pointer is extended to it, and stays so
    /// until [`Finder::leave`].
    fn enter(&mut self, line: usize) {
        let line = match self.frames.last() {
            None => line,
            Some(Frame::Map(Some((key, key_line)), _)) => {
                self.current.push('/');
                self.current.push_str(&escape_segment(key));
                *key_line
            }
            Some(Frame::Map(None, _)) => {
                self.current.push('/');
                line
            }
            Some(Frame::Seq(index, _)) => {
                self.current.push('/');
                self.current.push_str(&index.to_string());
                line
            }
        };
        if let Some(found @ None) = self.wanted.get_mut(self.current.as_str()) {
            *found = Some(line);
            self.left -= 1;
        }
    }

    /// A scalar or alias: a node that starts and ends at once.
    fn scalar(&mut self, text: String, line: usize) {
        if let Some(Frame::Map(key @ None, _)) = self.frames.last_mut() {
            *key = Some((text, line));
            return;
        }
        let start = self.current.len();
        self.enter(line);
        self.current.truncate(start);
        self.next();
    }

    fn open(&mut self, mapping: bool, line: usize) {
        let start = self.current.len();
        self.enter(line);
        self.frames.push(if mapping {
            Frame::Map(None, start)
        } else {
            Frame::Seq(0, start)
        });
    }

    fn close(&mut self) {
        if let Some(Frame::Map(_, start) | Frame::Seq(_, start)) = self.frames.pop() {
            self.current.truncate(start);
        }
        self.next();
    }

    /// A child ended: its container moves on to the next key or index.
    fn next(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Map(key, _)) => *key = None,
            Some(Frame::Seq(index, _)) => *index += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for Finder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.left == 0 {
            return;
        }
        match event {
            Event::Scalar(text, ..) => self.scalar(text, mark.line()),
            Event::Alias(_) => self.scalar(String::new(), mark.line()),
            Event::MappingStart(..) => self.open(true, mark.line()),
            Event::SequenceStart(..) => self.open(false, mark.line()),
            Event::MappingEnd | Event::SequenceEnd => self.close(),
            _ => {}
        }
    }
}

/// Feeds JSON text to the finder as the YAML parser would; the text parsed
/// as JSON already, so malformed text only ends the scan early.
fn scan_json(text: &str, finder: &mut Finder<'_>) {
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut at = 0;
    while at < bytes.len() && finder.left > 0 {
        match bytes[at] {
            b'\n' => line += 1,
            b'{' => finder.open(true, line),
            b'[' => finder.open(false, line),
            b'}' | b']' => finder.close(),
            b'"' => {
                let start = at;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                let Some(raw) = text.get(start..=at) else {
                    return;
                };
                let Ok(string) = serde_json::from_str::<String>(raw) else {
                    return;
                };
                finder.scalar(string, line);
            }
            b' ' | b'\t' | b'\r' | b',' | b':' => {}
            _ => {
                // A number, `true`, `false` or `null`.
                while at + 1 < bytes.len()
                    && !matches!(
                        bytes[at + 1],
                        b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'
                    )
                {
                    at += 1;
                }
                finder.scalar(String::new(), line);
            }
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::lines_of;

    const TEXT: &str = "a:\n  b:\n    - x\n    - y: 1\n      z: 2\n  c/d: 3\nflow: {k: [1, 2]}\n";

    const JSON: &str = "{\n  \"a\": {\n    \"b\": [\n      \"x\",\n      {\"y\": 1,\n       \"z\": 2}\n    ],\n    \"c/d\": \"\\/\\\"\"\n  },\n  \"flow\": {\"k\": [1, 2]}\n}\n";

    fn line_of(text: &str, json: bool, pointer: &str) -> Option<usize> {
        lines_of(text, json, &[pointer])[0]
    }

    #[test]
    fn finds_keys_items_and_escaped_segments() {
        for (text, json, lines) in [
            (TEXT, false, [1, 1, 2, 3, 5, 6, 7]),
            (JSON, true, [1, 2, 3, 4, 6, 8, 10]),
        ] {
            let found: Vec<_> = [
                "#",
                "#/a",
                "#/a/b",
                "#/a/b/0",
                "#/a/b/1/z",
                "#/a/c~1d",
                "#/flow/k/1",
            ]
            .iter()
            .map(|pointer| line_of(text, json, pointer).unwrap_or(0))
            .collect();
            assert_eq!(found, lines, "{text}");
        }
    }

    #[test]
    fn many_pointers_are_found_in_one_pass() {
        assert_eq!(
            lines_of(TEXT, false, &["#/flow/k/0", "#/a/b/1/y", "#/a/nope", "#/a"]),
            [Some(7), Some(4), None, Some(1)]
        );
    }

    #[test]
    fn missing_nodes_have_no_line() {
        for (text, json) in [(TEXT, false), (JSON, true)] {
            assert_eq!(line_of(text, json, "#/a/nope"), None);
            assert_eq!(line_of(text, json, "#/a/b/9"), None);
        }
    }
}
