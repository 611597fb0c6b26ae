//! The `next` target of an RFC 8288 `Link` header (GitHub's paging), and
//! the check that a next page's link stays on the API's origin.
//!
//! Parsed by RFC 8288's own algorithm (appendix B) rather than with
//! `parse_link_header`, which splits the header at every comma: a target
//! whose query holds one (`?fields=a,b`) would be cut, and a
//! `rel="next last"` missed.

use reqwest::Url;
use reqwest::header::{HeaderMap, LINK};

/// The target of the first link whose relation types include `next`,
/// across every `Link` header; `None` when there is none.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(next_in)
}

fn next_in(header: &str) -> Option<String> {
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let Some(opened) = rest.strip_prefix('<') else {
            // Not a link: skip to the next one.
            rest = &rest[rest.find(',')? + 1..];
            continue;
        };
        let target;
        (target, rest) = opened.split_once('>')?;
        let mut rel: Option<String> = None;
        loop {
            rest = rest.trim_start_matches([' ', '\t']);
            let Some(after) = rest.strip_prefix(';') else {
                break;
            };
            rest = after.trim_start_matches([' ', '\t']);
            let end = rest.find(['=', ';', ',', ' ', '\t']).unwrap_or(rest.len());
            let name = rest[..end].to_ascii_lowercase();
            rest = rest[end..].trim_start_matches([' ', '\t']);
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                rest = after.trim_start_matches([' ', '\t']);
                (value, rest) = param_value(rest);
            }
            // Only the first `rel` counts.
            if name == "rel" && rel.is_none() {
                rel = Some(value);
            }
        }
        if rel.is_some_and(|rel| {
            rel.split([' ', '\t'])
                .any(|kind| kind.eq_ignore_ascii_case("next"))
        }) {
            return Some(target.to_owned());
        }
        // Anything else before the next link is not a link; skip it.
        rest = &rest[rest.find(',')?..];
    }
}

/// A token, or a quoted string with its escapes undone; and what follows.
fn param_value(text: &str) -> (String, &str) {
    let Some(quoted) = text.strip_prefix('"') else {
        let end = text.find([';', ',', ' ', '\t']).unwrap_or(text.len());
        return (text[..end].to_owned(), &text[end..]);
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            '"' => return (value, &quoted[at + 1..]),
            c => value.push(c),
        }
    }
    (value, "")
}

/// `link` resolved against `base` (the API's base URL), when it stays on
/// the same origin (scheme, host and port): the client's credentials go
/// nowhere else, whatever a page says.
pub(crate) fn on_origin(base: &str, link: &str) -> Option<Url> {
    let base = Url::parse(base).ok()?;
    let target = base.join(link).ok()?;
    (target.origin() == base.origin()).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found_by_rfc_8288s_rules() {
        let github = r#"<https://api.github.com/repos/o/r/issues?page=2>; rel="next", <https://api.github.com/repos/o/r/issues?page=5>; rel="last""#;
        assert_eq!(
            next_in(github).as_deref(),
            Some("https://api.github.com/repos/o/r/issues?page=2")
        );
        // Commas inside the target, several relation types, other params first,
        // a quoted title with an escaped quote and a comma.
        let tricky = r#"<https://x.test/a?f=1,2>; rel=prev, </b?fields=a,b&page=3>; title="a \"q\", b"; REL="last NEXT""#;
        assert_eq!(next_in(tricky).as_deref(), Some("/b?fields=a,b&page=3"));
        // Only the first `rel` of a link counts.
        assert_eq!(next_in(r#"<a>; rel="prev"; rel="next""#), None);
        assert_eq!(next_in(""), None);
        assert_eq!(next_in("garbage, <c>; rel=next"), Some("c".to_owned()));
    }

    #[test]
    fn a_link_must_stay_on_the_apis_origin() {
        let base = "https://api.example.com/v1";
        assert_eq!(
            on_origin(base, "/v1/items?page=2")
                .map(String::from)
                .as_deref(),
            Some("https://api.example.com/v1/items?page=2")
        );
        assert!(on_origin(base, "https://api.example.com/v1/items?page=2").is_some());
        assert!(on_origin(base, "https://evil.example/v1/items").is_none());
        assert!(on_origin(base, "http://api.example.com/v1/items").is_none());
        assert!(on_origin(base, "https://api.example.com:8443/v1/items").is_none());
        assert!(on_origin(base, "//evil.example/x").is_none());
    }
}
