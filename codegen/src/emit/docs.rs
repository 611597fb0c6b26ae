//! Spec descriptions as rustdoc that builds without warnings.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `text`, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    doc_lines(text).map(|line| quote!(#[doc = #line])).collect()
}

/// `#[deprecated]` for something the spec marks `deprecated` (`what`: an
/// operation, a parameter, a property, a schema): code that uses it
/// compiles with a warning.
pub fn deprecated_attr(deprecated: bool, what: &str) -> TokenStream {
    if deprecated {
        let note = format!("the API deprecates this {what}");
        quote!(#[deprecated(note = #note)])
    } else {
        quote!()
    }
}

/// Docs the generator writes itself, whose intra-doc links must stay links:
/// not sanitized, since no text comes from the spec.
pub fn own_doc_attrs(text: &str) -> TokenStream {
    text.lines()
        .map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            quote!(#[doc = #line])
        })
        .collect()
}

/// Like [`doc_attrs`], for the inner `//!` docs of a module.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    doc_lines(text)
        .map(|line| quote!(#![doc = #line]))
        .collect()
}

/// Sanitized lines, each with the leading space that `///` puts there.
fn doc_lines(text: &str) -> impl Iterator<Item = String> {
    let text = sanitize(text.trim());
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect::<Vec<_>>()
        .into_iter()
}

/// `value` from the spec as inline code in a line the generator writes:
/// on one line, with what a doc comment cannot hold escaped visibly (a
/// bare CR, which rustc refuses; characters that reorder text, which it
/// denies), and a backtick in it kept inside the span.
pub fn code_span(value: &str) -> String {
    let mut text = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
                text.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
            }
            c if c.is_control() => text.push_str(&c.escape_default().to_string()),
            c => text.push(c),
        }
    }
    // CommonMark: a run of backticks longer than any inside opens and
    // closes the span; a space pads a span that starts or ends with one.
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 || text.starts_with(' ') || text.ends_with(' ') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Joins the non-empty paragraphs.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Makes Markdown written for a web page safe for rustdoc: bare URLs become
/// autolinks, brackets that are not links are escaped (rustdoc would read
/// them as intra-doc links), HTML-like tags are escaped, characters a doc
/// comment cannot hold are replaced, and no code block can run as a
/// doctest (see [`code_blocks_as_text`]).
pub fn sanitize(text: &str) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<Fence> = None;
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        match &fence {
            Some(open) => {
                if open.closed_by(line) {
                    fence = None;
                }
                out.push_str(line);
            }
            None => match Fence::opened_by(line) {
                Some(opened) => {
                    out.push_str(line);
                    fence = Some(opened);
                }
                None => out.push_str(&sanitize_line(line)),
            },
        }
    }
    // Whatever the generator adds after this text must not fall into it.
    if let Some(open) = fence {
        out.push('\n');
        out.push_str(&open.closing());
    }
    list_continuations(&code_blocks_as_text(&out))
}

/// Indents every continuation line of a list item's paragraph to where
/// the item's text starts, as clippy asks (`doc_lazy_continuation`,
/// `doc_overindented_list_items`): Markdown reads the item the same
/// either way, so the text means what the spec wrote. The lines are found
/// by pulldown-cmark, as rustdoc and clippy find them.
fn list_continuations(text: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    /// The blocks a line can be inside, innermost last.
    enum Container {
        /// A list item, with the column its text starts at.
        Item(usize),
        Other,
    }
    let mut containers: Vec<Container> = Vec::new();
    // Each line to reindent: the offset it starts at, and the indent.
    let mut edits: Vec<(usize, usize)> = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Item) => {
                let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1);
                // The item's range may start before its marker's indent.
                let rest = text[range.start..].trim_start_matches(' ');
                let column = text.len() - rest.len() - line_start;
                let indent = list_marker_length(rest).map_or(column + 2, |marker| {
                    // Up to four spaces after the marker belong to it;
                    // more start an indented block one space in.
                    let after = rest[marker..].len() - rest[marker..].trim_start_matches(' ').len();
                    if after >= 4 {
                        column + marker
                    } else {
                        column + marker + after
                    }
                });
                containers.push(Container::Item(indent));
            }
            Event::Start(Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => {
                containers.push(Container::Other);
            }
            Event::End(TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                containers.pop();
            }
            // A line break in an item's text (tight lists have no
            // paragraph events) continues the item's paragraph.
            Event::SoftBreak | Event::HardBreak => {
                if let Some(Container::Item(indent)) = containers.last() {
                    let next = text[range.start..]
                        .find('\n')
                        .map_or(text.len(), |at| range.start + at + 1);
                    edits.push((next, *indent));
                }
            }
            _ => {}
        }
    }
    if edits.is_empty() {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    for (start, indent) in edits.into_iter().rev() {
        let spaces = out[start..].len() - out[start..].trim_start_matches(' ').len();
        out.replace_range(start..start + spaces, &" ".repeat(indent));
    }
    out
}

/// Text a doc comment can hold: line ends are `\n` (rustc refuses a bare
/// `\r`), tabs are spaces (clippy's `tabs_in_doc_comments`), control
/// characters are dropped, and the characters that reorder text (which
/// rustc denies in comments) are written as escapes, visibly.
fn printable(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
                out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An open fenced code block (CommonMark: three or more backticks or
/// tildes, indented at most three spaces, closed by a run of the same
/// character at least as long).
struct Fence {
    indent: usize,
    marker: char,
    length: usize,
}

impl Fence {
    /// The fence `line` opens, at the start of the line or of a list item
    /// it begins (`- ```rust`).
    fn opened_by(line: &str) -> Option<Fence> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let (indent, rest) = match list_marker_length(rest) {
            Some(marker) => {
                let content = rest[marker..].trim_start_matches(' ');
                (line.len() - content.len(), content)
            }
            None if indent <= 3 => (indent, rest),
            None => return None,
        };
        let marker = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let length = rest.len() - rest.trim_start_matches(marker).len();
        // A backtick fence's info string cannot hold a backtick.
        let info_ok = marker == '~' || !rest[length..].contains('`');
        (length >= 3 && info_ok).then_some(Fence {
            indent,
            marker,
            length,
        })
    }

    fn closed_by(&self, line: &str) -> bool {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let length = rest.len() - rest.trim_start_matches(self.marker).len();
        indent <= self.indent + 3 && length >= self.length && rest[length..].trim().is_empty()
    }

    fn closing(&self) -> String {
        let marker = self.marker.to_string();
        format!("{}{}", " ".repeat(self.indent), marker.repeat(self.length))
    }
}

/// Languages a code block from the spec may keep as its info string: plain
/// names that rustdoc does not know, so it never compiles such a block. Any
/// other info string (`rust`, none, `should_panic`, `edition2021`,
/// `json,ignore`, ...) becomes `text`.
const KEPT_LANGUAGES: &[&str] = &[
    "bash",
    "c",
    "console",
    "cpp",
    "csharp",
    "css",
    "csv",
    "diff",
    "go",
    "graphql",
    "html",
    "http",
    "ini",
    "java",
    "javascript",
    "js",
    "json",
    "jsonc",
    "kotlin",
    "markdown",
    "md",
    "php",
    "plaintext",
    "powershell",
    "properties",
    "protobuf",
    "python",
    "py",
    "ruby",
    "sh",
    "shell",
    "sql",
    "swift",
    "text",
    "toml",
    "ts",
    "typescript",
    "xml",
    "yaml",
    "yml",
    "zsh",
];

/// Rewrites every code block of `text`, wherever it stands (lists and
/// quotes included), so that rustdoc never compiles or runs it: a fenced
/// block keeps its language only when that is a plain name from
/// [`KEPT_LANGUAGES`], else becomes `text`; an indented block (which
/// rustdoc would test as Rust) becomes a fenced `text` block. The blocks
/// are found by pulldown-cmark, the Markdown parser rustdoc itself uses,
/// and the result is parsed again until none is left; should that not
/// settle, the whole text becomes one `text` block.
pub fn code_blocks_as_text(text: &str) -> String {
    let mut text = text.to_owned();
    // Turning an indented block into a fenced one can end a list, and so
    // turn a later indented line into another block: a few rounds settle it.
    for _ in 0..8 {
        let edits = unsafe_code_blocks(&text);
        if edits.is_empty() {
            return text;
        }
        for (range, replacement) in edits.into_iter().rev() {
            text.replace_range(range, &replacement);
        }
    }
    if unsafe_code_blocks(&text).is_empty() {
        return text;
    }
    // A fence longer than any run of backticks in the text cannot be closed early.
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{text}\n{fence}")
}

/// The edits that make each code block of `text` that rustdoc could test
/// a `text` block, in the order of the text.
fn unsafe_code_blocks(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    // The extensions rustdoc turns on.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut edits = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                if KEPT_LANGUAGES.contains(&info.trim()) {
                    continue;
                }
                // The info string: after the fence's run, to the end of its line.
                let line_end = text[range.start..]
                    .find('\n')
                    .map_or(text.len(), |end| range.start + end);
                let opener = &text[range.start..line_end];
                let Some(at) = opener.find(['`', '~']) else {
                    continue;
                };
                let marker = opener[at..].chars().next().unwrap_or('`');
                let run = opener[at..].len() - opener[at..].trim_start_matches(marker).len();
                edits.push((range.start + at + run..line_end, "text".to_owned()));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                let start = text[..range.start].rfind('\n').map_or(0, |at| at + 1);
                let mut end = range.end;
                while end > start && text[..end].ends_with('\n') {
                    end -= 1;
                }
                edits.push((start..end, fenced_text(&text[start..end])));
            }
            _ => {}
        }
    }
    edits
}

/// `lines`, dedented, in a fenced `text` block at the left margin.
fn fenced_text(lines: &str) -> String {
    let indent = lines
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let body: Vec<&str> = lines
        .lines()
        .map(|line| line.get(indent..).unwrap_or("").trim_end())
        .collect();
    let body = body.join("\n");
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}", body.trim_end_matches('\n'))
}

/// The length of the list marker `trimmed` starts with (`- `, `* `, `+ `,
/// `1. `, `1) `), its space included.
fn list_marker_length(trimmed: &str) -> Option<usize> {
    if trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.starts_with("+ ") {
        return Some(2);
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let ordered =
        digits > 0 && (trimmed[digits..].starts_with(". ") || trimmed[digits..].starts_with(") "));
    ordered.then_some(digits + 2)
}

fn sanitize_line(line: &str) -> String {
    // Most lines of a spec's prose have nothing to change.
    if !line.contains(['`', '[', ']', '<', '>'])
        && !line.contains("http://")
        && !line.contains("https://")
    {
        return line.to_owned();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Copy a code span untouched.
                let end = chars[i + 1..]
                    .iter()
                    .position(|&d| d == '`')
                    .map(|p| i + 1 + p);
                match end {
                    Some(end) => {
                        out.extend(&chars[i..=end]);
                        i = end + 1;
                    }
                    None => {
                        out.push_str("\\`");
                        i += 1;
                    }
                }
            }
            '[' => match link_end(&chars, i) {
                // An anchor into the spec's own web page (`#tag/...`) is a
                // dead link in rustdoc: keep the text.
                Some(end) if anchor_link(&chars[i..=end]) => {
                    let close = chars[i..=end].iter().position(|&c| c == ']').unwrap_or(0) + i;
                    out.push_str(&sanitize_line(
                        &chars[i + 1..close].iter().collect::<String>(),
                    ));
                    i = end + 1;
                }
                Some(end) => {
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' | '>' => {
                out.push_str(if c == '<' { "&lt;" } else { "&gt;" });
                i += 1;
            }
            'h' if starts_url(&chars[i..]) => {
                let end = chars[i..]
                    .iter()
                    .position(|d| d.is_whitespace() || matches!(d, ')' | '>' | '"' | '\''))
                    .map_or(chars.len(), |p| i + p);
                let mut url: String = chars[i..end].iter().collect();
                // Sentence punctuation after a URL is not part of it.
                let mut tail = String::new();
                while url.ends_with(['.', ',', ';', ':']) {
                    tail.insert(0, url.pop().unwrap_or_default());
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&tail);
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The index of the `)` closing a Markdown link `[text](target)` that starts at `start`.
fn link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = chars[start..].iter().position(|&c| c == ']')? + start;
    if chars[start + 1..close].contains(&'[') || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close + 1..].iter().position(|&c| c == ')')? + close + 1;
    Some(end)
}

/// `[text](#anchor)`.
fn anchor_link(link: &[char]) -> bool {
    let text: String = link.iter().collect();
    text.contains("](#")
}

fn starts_url(chars: &[char]) -> bool {
    let starts = |prefix: &str| {
        chars.len() >= prefix.len() && prefix.chars().zip(chars).all(|(a, &b)| a == b)
    };
    starts("http://") || starts("https://")
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_item_lines_are_indented_where_the_item_text_starts() {
        // Each as clippy's `doc_lazy_continuation` and
        // `doc_overindented_list_items` suggest.
        for (prose, expected) in [
            (
                "Options:\n- first item\ncontinues lazily\n- second",
                "Options:\n- first item\n  continues lazily\n- second",
            ),
            ("- item\n    overindented", "- item\n  overindented"),
            (
                "1. numbered\n   continuation\n2. second\n      overindented",
                "1. numbered\n   continuation\n2. second\n   overindented",
            ),
            (
                "- parent\n  - child\n    child text\n  still the child's",
                "- parent\n  - child\n    child text\n    still the child's",
            ),
            (
                "Possible enum values:\n - `\"Always\"` means\n not at all.",
                "Possible enum values:\n - `\"Always\"` means\n   not at all.",
            ),
            ("*   wide\n  narrow", "*   wide\n    narrow"),
            ("- one\n  continued\n- two", "- one\n  continued\n- two"),
            ("1. one\n\nAfter.", "1. one\n\nAfter."),
        ] {
            assert_eq!(sanitize(prose), expected, "{prose:?}");
        }
    }

    use super::sanitize;

    #[test]
    fn bare_urls_become_autolinks_without_trailing_punctuation() {
        assert_eq!(
            sanitize("See https://example.com/a."),
            "See <https://example.com/a>."
        );
    }

    #[test]
    fn links_and_code_are_kept() {
        let text = "Use the [/groups](https://x.io/groups) endpoint and `[a-f0-9]` or https://x.io in `code`.";
        assert_eq!(
            sanitize(text),
            "Use the [/groups](https://x.io/groups) endpoint and `[a-f0-9]` or <https://x.io> in `code`."
        );
    }

    #[test]
    fn anchors_into_the_specs_web_page_become_text() {
        assert_eq!(
            sanitize("Use the [/groups](#tag/Projects/operation/listProjects) endpoint."),
            "Use the /groups endpoint."
        );
    }

    #[test]
    fn stray_brackets_and_tags_are_escaped() {
        assert_eq!(sanitize("a [b] c <d>"), "a \\[b\\] c &lt;d&gt;");
    }

    #[test]
    fn unlabelled_fences_become_text() {
        assert_eq!(
            sanitize("```\ncurl https://x\n```"),
            "```text\ncurl https://x\n```"
        );
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
    }

    /// Every form of code block rustdoc would compile or run.
    const RUNNABLE: &[&str] = &[
        "```rust\nfn main() {}\n```",
        "```\nfn main() {}\n```",
        "~~~\nfn main() {}\n~~~",
        "~~~rust\nfn main() {}\n~~~",
        "````\n```\nfn main() {}\n````",
        "```should_panic\nfn main() {}\n```",
        "```edition2021\nfn main() {}\n```",
        "```no_run\nfn main() {}\n```",
        "```compile_fail\nfn main() {}\n```",
        "```json,should_panic\nfn main() {}\n```",
        "```rust json\nfn main() {}\n```",
        "```{.rust}\nfn main() {}\n```",
        "   ```rust\nfn main() {}\n   ```",
        "Text.\n\n    fn main() {}\n    let x = 1;\n\nMore.",
        "    fn main() {}",
        "Text.\n\n\tfn main() {}",
        "- item\n\n      fn main() {}\n",
        "- ```rust\n  fn main() {}\n  ```",
        "1. first\n2. ```\n   fn main() {}\n   ```",
        "> ```rust\n> fn main() {}\n> ```",
        "Open:\n```rust\nfn main() {}",
        "- a\n\n      one\n\n  b\n\n          two",
    ];

    #[test]
    fn no_code_block_of_the_spec_is_left_for_rustdoc_to_test() {
        for text in RUNNABLE {
            let out = sanitize(text);
            assert!(
                super::unsafe_code_blocks(&out).is_empty(),
                "{text:?} became {out:?}"
            );
            assert!(
                out.contains("fn main() {}") || out.contains("one"),
                "{text:?} lost its code: {out:?}"
            );
        }
    }

    #[test]
    fn each_form_becomes_a_text_block() {
        assert_eq!(
            sanitize("```rust\nfn main() {}\n```"),
            "```text\nfn main() {}\n```"
        );
        assert_eq!(sanitize("~~~ rust\nx\n~~~"), "~~~text\nx\n~~~");
        assert_eq!(
            sanitize("Text.\n\n    let x = 1;\n      let y = 2;\n\nMore."),
            "Text.\n\n```text\nlet x = 1;\n  let y = 2;\n```\n\nMore."
        );
        assert_eq!(sanitize("- ```rust\n  x\n  ```"), "- ```text\n  x\n  ```");
        // An unclosed fence is closed, so that what follows stays outside.
        assert_eq!(sanitize("```json\n{}"), "```json\n{}\n```");
    }

    #[test]
    fn a_doc_comment_holds_every_character_it_is_given() {
        assert_eq!(sanitize("a\rb\r\nc"), "a\nb\nc");
        assert_eq!(sanitize("a\u{0}b\u{7}c"), "abc");
        assert_eq!(sanitize("x\u{202E}y\u{2066}"), "x\\u{202E}y\\u{2066}");
        assert_eq!(sanitize("a\tb"), "a    b");
    }
}
