//! Flow collections (`[`, `{`, as JSON writes them) in YAML text, found by
//! one linear scan before the parser runs: how deeply they nest, and the
//! lines that continue one.
//!
//! Only a bracket that starts a collection counts: inside a flow
//! collection any unquoted one, outside one only where a node starts (the
//! start of a line, or after `:`, `-` or `?`); never one inside a quoted
//! string, a comment, a plain scalar (`a[0]`) or a block scalar (`|` or
//! `>`, as code samples in descriptions are written).

use std::ops::ControlFlow;

use super::MAX_NESTING;

/// What the scan meets.
enum Event<'t> {
    /// A line starts, `depth` collections deep; `text` is the line.
    Line {
        number: usize,
        depth: usize,
        text: &'t str,
    },
    /// A collection opens at 0-based `column` (in characters) of line
    /// `number`, making the depth `depth`.
    Open {
        number: usize,
        column: usize,
        depth: usize,
    },
}

fn scan<'t>(text: &'t str, mut visit: impl FnMut(Event<'t>) -> ControlFlow<()>) {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    // Inside a block scalar: the indentation its lines must exceed.
    let mut block: Option<usize> = None;
    for (number, line) in text.split('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(limit) = block {
            if line.trim().is_empty() || indent > limit {
                continue;
            }
            block = None;
        }
        if visit(Event::Line {
            number,
            depth,
            text: line,
        })
        .is_break()
        {
            return;
        }
        let bytes = line.as_bytes();
        // The last byte that was not a space; a line starts a node.
        let mut previous = b'\n';
        let mut index = 0;
        while index < bytes.len() {
            let byte = bytes[index];
            match (quote, byte) {
                (Some(b'"'), b'\\') => index += 1,
                (Some(open), _) if byte == open => quote = None,
                (Some(_), _) => {}
                // A quote opens a string only where a scalar can start (not in `it's`).
                (None, b'"' | b'\'')
                    if index == 0
                        || bytes[index - 1].is_ascii_whitespace()
                        || b"[{,:".contains(&bytes[index - 1]) =>
                {
                    quote = Some(byte)
                }
                (None, b'#') if index == 0 || bytes[index - 1].is_ascii_whitespace() => break,
                (None, b'[' | b'{') if depth > 0 || b"\n:-?".contains(&previous) => {
                    depth += 1;
                    let open = Event::Open {
                        number,
                        column: line[..index].chars().count(),
                        depth,
                    };
                    if visit(open).is_break() {
                        return;
                    }
                }
                (None, b']' | b'}') if depth > 0 => depth -= 1,
                _ => {}
            }
            if !byte.is_ascii_whitespace() {
                previous = byte;
            }
            index += 1;
        }
        if quote.is_none() && depth == 0 && starts_block_scalar(line) {
            block = Some(indent);
        }
    }
}

/// Where flow collections first nest deeper than [`MAX_NESTING`], as
/// 1-based line and column. Block collections are bounded by their
/// indentation, which the parser reads in linear time.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut found = None;
    scan(text, |event| match event {
        Event::Open {
            number,
            column,
            depth,
        } if depth > MAX_NESTING => {
            found = Some((number + 1, column + 1));
            ControlFlow::Break(())
        }
        _ => ControlFlow::Continue(()),
    });
    found
}

/// The text with every line that continues a flow collection indented
/// past the block node the collection belongs to, or `None` when no line
/// needs it. YAML wants those lines indented more than that node (so
/// yaml-rust2 refuses them), libyaml and PyYAML do not check, and Docker's
/// `swagger.yaml` writes `example: {` with its lines at the margin.
/// Leading spaces mean nothing inside a flow collection (a quoted string
/// that goes on to the next line folds them away), so the tree read from
/// the new text is the one those parsers read, and every line keeps its
/// number for diagnostics.
pub fn reindent(text: &str) -> Option<String> {
    // The node a collection opened in block context belongs to starts
    // where its line's text does, past any `- ` of a sequence entry.
    let lines: Vec<&str> = text.split('\n').collect();
    let mut needs: Vec<Option<usize>> = vec![None; lines.len()];
    let mut opener_indent = 0;
    scan(text, |event| {
        match event {
            Event::Line { depth: 0, text, .. } => {
                let mut rest = text.trim_start_matches(' ');
                let mut dash = None;
                while let Some(after) = rest.strip_prefix("- ") {
                    dash = Some(text.len() - rest.len());
                    rest = after.trim_start_matches(' ');
                }
                // `- {`: the collection is the entry, and belongs to the
                // sequence; `key: {` belongs to the mapping of `key`.
                opener_indent = match dash {
                    Some(dash) if rest.starts_with(['{', '[']) => dash,
                    _ => text.len() - rest.len(),
                };
            }
            Event::Line {
                number,
                depth,
                text,
            } if depth > 0 => {
                let indent = text.len() - text.trim_start_matches(' ').len();
                if indent <= opener_indent && !text.trim().is_empty() {
                    needs[number] = Some(opener_indent + 1);
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    });
    if needs.iter().all(Option::is_none) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 64);
    for (number, line) in lines.iter().enumerate() {
        if number > 0 {
            out.push('\n');
        }
        match needs[number] {
            Some(indent) => {
                let trimmed = line.trim_start_matches(' ');
                out.push_str(&" ".repeat(indent));
                out.push_str(trimmed);
            }
            None => out.push_str(line),
        }
    }
    Some(out)
}

/// Whether `line` ends in a block scalar's header (`key: |`, `- >-`,
/// `key: |2+ # note`), so that the lines after it are its text.
fn starts_block_scalar(line: &str) -> bool {
    let content = match line.find(" #") {
        Some(comment) => &line[..comment],
        None => line,
    };
    let Some(last) = content.split_whitespace().last() else {
        return false;
    };
    let mut chars = last.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| c.is_ascii_digit() || c == '+' || c == '-')
        && content.trim_end().len() > last.len()
}

#[cfg(test)]
mod tests {
    use super::reindent;

    #[test]
    fn flow_lines_at_the_margin_are_read_as_libyaml_reads_them() {
        // Docker's `swagger.yaml` writes examples this way.
        let text = "definitions:\n  Foo:\n    example: {\n  \"a\": 1,\n  \"b\": [1,\n2],\n        \"c\": \"two\n  words\"\n}\n    type: object\n  - {\n x: 1}\n";
        let reindented = reindent(text).expect("lines to indent");
        assert_eq!(
            reindented,
            "definitions:\n  Foo:\n    example: {\n     \"a\": 1,\n     \"b\": [1,\n     2],\n        \"c\": \"two\n     words\"\n     }\n    type: object\n  - {\n   x: 1}\n"
        );
        let ours = crate::load::yaml::parse(&reindented[..reindented.find("  - {").unwrap()])
            .expect("yaml-rust2 reads it");
        let libyaml: serde_json::Value =
            serde_norway::from_str(&text[..text.find("  - {").unwrap()]).expect("libyaml reads it");
        assert_eq!(ours, libyaml);
        // Every line keeps its number.
        assert_eq!(reindented.lines().count(), text.lines().count());
    }

    #[test]
    fn text_that_needs_nothing_is_left_alone() {
        for text in [
            "a: {b: 1,\n  c: 2}\n",
            "a:\n  - {\n   x: 1}\n",
            "a: |\n  {\nb\n",
            "a: '{'\nb: 1\n",
            "# {\na: 1\n",
        ] {
            assert_eq!(reindent(text), None, "{text:?}");
        }
    }
}
