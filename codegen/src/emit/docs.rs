//! Spec descriptions as rustdoc that builds without warnings.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `text`, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    doc_lines(text).map(|line| quote!(#[doc = #line])).collect()
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
/// them as intra-doc links), HTML-like tags are escaped, and code fences
/// without a language become `text` so that they are not run as doctests.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    let mut in_list = false;
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        // A paragraph right after a list would continue its last item lazily.
        let list_item = !in_fence && is_list_item(trimmed);
        if in_list && !list_item && !trimmed.is_empty() && trimmed.len() + 2 > line.len() {
            out.push('\n');
        }
        in_list = if trimmed.is_empty() {
            false
        } else {
            list_item || (in_list && trimmed.len() + 2 <= line.len())
        };
        if trimmed.starts_with("```") {
            if !in_fence && trimmed.trim_end() == "```" {
                out.push_str(&line.replacen("```", "```text", 1));
            } else {
                out.push_str(line);
            }
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&sanitize_line(line));
        }
    }
    out
}

fn is_list_item(trimmed: &str) -> bool {
    let unordered =
        trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.starts_with("+ ");
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let ordered =
        digits > 0 && (trimmed[digits..].starts_with(". ") || trimmed[digits..].starts_with(") "));
    unordered || ordered
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
    fn a_paragraph_after_a_list_is_set_apart() {
        assert_eq!(
            sanitize("Steps:\n- one\n- two\n Then more."),
            "Steps:\n- one\n- two\n\n Then more."
        );
        assert_eq!(
            sanitize("- one\n  continued\n- two"),
            "- one\n  continued\n- two"
        );
        assert_eq!(sanitize("1. one\n\nAfter."), "1. one\n\nAfter.");
    }

    #[test]
    fn unlabelled_fences_become_text() {
        assert_eq!(
            sanitize("```\ncurl https://x\n```"),
            "```text\ncurl https://x\n```"
        );
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
    }
}
