//! Percent-encoding of path parameters.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Everything except RFC 3986 unreserved characters is encoded, so that a
/// value can never add a path segment, a query or a fragment.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'$')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b',')
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// RFC 3986 unreserved bytes, which no set of ours encodes.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        byte += 1;
    }
    table
};

/// Encodes one path parameter value as a single path segment.
///
/// Values that a URL parser would treat as navigation (`""`, `"."`, `".."`)
/// are refused earlier by [`Validator::path_segment`](crate::Validator::path_segment).
pub fn encode_path_segment(value: &str) -> std::borrow::Cow<'_, str> {
    // Through `Cow`, not `Display`: most ids need no encoding and are not
    // copied, and are found so by one pass over their bytes.
    // Without an early exit, the loop has no branch per byte.
    if value.bytes().fold(true, |unreserved, byte| {
        unreserved & UNRESERVED[usize::from(byte)]
    }) {
        return std::borrow::Cow::Borrowed(value);
    }
    utf8_percent_encode(value, PATH_SEGMENT).into()
}

/// [`encode_path_segment`] for text made for the call (a number, a date):
/// kept as it is when nothing needs encoding.
pub fn encode_path_text(text: String) -> String {
    match encode_path_segment(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(encoded) => encoded,
    }
}

/// A list in one path segment, `simple` style (RFC 6570's `{list}`): each
/// item encoded as [`encode_path_segment`] encodes a value (a comma in an
/// item too), then joined by commas.
pub fn encode_path_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    for (index, item) in items.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&encode_path_segment(item.as_ref()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{encode_path_list, encode_path_segment, encode_path_text};

    #[test]
    fn a_list_is_its_items_encoded_and_joined_by_commas() {
        assert_eq!(encode_path_list(["logs", "metrics-*"]), "logs,metrics-%2A");
        assert_eq!(encode_path_list(["a,b", "c d"]), "a%2Cb,c%20d");
        assert_eq!(encode_path_list(Vec::<String>::new()), "");
    }

    #[test]
    fn made_text_is_encoded_like_any_other() {
        assert_eq!(
            encode_path_text("2024-01-01T00:00:00Z".to_owned()),
            "2024-01-01T00%3A00%3A00Z"
        );
        assert_eq!(encode_path_text("42".to_owned()), "42");
    }

    #[test]
    fn reserved_characters_are_encoded() {
        assert_eq!(encode_path_segment("a/b c?d#e%f"), "a%2Fb%20c%3Fd%23e%25f");
    }

    #[test]
    fn unreserved_characters_are_kept() {
        assert_eq!(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
    }

    #[test]
    fn non_ascii_is_utf8_encoded() {
        assert_eq!(encode_path_segment("é"), "%C3%A9");
    }
}
