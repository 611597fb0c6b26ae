//! Media types: which are JSON, and which of several versions the client
//! uses. The model and the spec comparison both ask here, so the diff
//! compares what the generated client really sends and expects.

/// The media type as `mime` reads it (type, subtype and suffix lower
/// case, parameters apart); `None` for text that is no media type.
fn parse(media_type: &str) -> Option<mime::Mime> {
    media_type.trim().parse().ok()
}

/// `application/x-www-form-urlencoded`: a body of typed fields, sent as a form.
pub fn is_form(media_type: &str) -> bool {
    parse(media_type)
        .is_some_and(|media| media.essence_str() == "application/x-www-form-urlencoded")
}

/// `multipart/form-data`, whose fields are parts of their own.
pub fn is_multipart(media_type: &str) -> bool {
    parse(media_type).is_some_and(|media| media.essence_str() == "multipart/form-data")
}

/// Whether `media_type` is text (`text/*`): a body the client reads as a
/// `String`.
pub fn is_text(media_type: &str) -> bool {
    parse(media_type).is_some_and(|media| media.type_() == mime::TEXT)
}

/// The ways a response body can be a sequence of items, read as they arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sequence {
    /// `text/event-stream`: server-sent events.
    Events,
    /// JSON Lines / NDJSON: one JSON text per line.
    JsonLines,
    /// RFC 7464 (`application/json-seq`, `+json-seq`): JSON texts after 0x1E.
    JsonSequence,
}

/// Whether `media_type` is a sequence of items, and which.
pub fn sequence(media_type: &str) -> Option<Sequence> {
    let media = parse(media_type)?;
    let (kind, subtype) = (media.type_().as_str(), media.subtype().as_str());
    match (kind, subtype, media.suffix().map(|suffix| suffix.as_str())) {
        ("text", "event-stream", _) => Some(Sequence::Events),
        (
            "application",
            "jsonl" | "x-jsonl" | "ndjson" | "x-ndjson" | "jsonlines" | "x-jsonlines",
            _,
        ) => Some(Sequence::JsonLines),
        ("application", "json-seq", _) | (_, _, Some("json-seq")) => Some(Sequence::JsonSequence),
        _ => None,
    }
}

/// `application/json` and vendor types such as `application/vnd.atlas.preview+json`.
pub fn is_json(media_type: &str) -> bool {
    parse(media_type).is_some_and(|media| {
        media.type_() == mime::APPLICATION
            && (media.subtype() == mime::JSON || media.suffix() == Some(mime::JSON))
    })
}

/// The JSON entries of a content map, newest first: versions sort by name
/// (so dated ones by date), and one marked `unstable` (containing one of
/// its texts, such as `.preview+`) counts as the newest only when it is alone.
pub fn newest_first<'a, T>(
    content: impl IntoIterator<Item = (&'a str, T)>,
    unstable: &[String],
) -> Vec<(&'a str, T)> {
    let mut json: Vec<_> = content
        .into_iter()
        .filter(|(media_type, _)| is_json(media_type))
        .collect();
    let stable = |media_type: &str| {
        !unstable
            .iter()
            .any(|mark| media_type.contains(mark.as_str()))
    };
    json.sort_by_key(|(media_type, _)| (stable(media_type), *media_type));
    json.reverse();
    json
}

/// The entry a client uses: the newest JSON one, else the first.
pub fn used<'a, T>(
    content: impl IntoIterator<Item = (&'a str, T)>,
    unstable: &[String],
) -> Option<(&'a str, T)> {
    let mut all: Vec<_> = content.into_iter().collect();
    let newest = newest_first(
        all.iter().map(|(media_type, _)| (*media_type, ())),
        unstable,
    )
    .first()
    .map(|(media_type, ())| *media_type);
    let index = match newest {
        Some(newest) => all
            .iter()
            .position(|(media_type, _)| *media_type == newest)?,
        None if all.is_empty() => return None,
        None => 0,
    };
    Some(all.swap_remove(index))
}

/// The entry a client reads a response with: the newest JSON one, else
/// the first that is a sequence of items (a stream of events or of JSON
/// texts), else the first.
pub fn used_in_response<'a, T>(
    content: impl IntoIterator<Item = (&'a str, T)>,
    unstable: &[String],
) -> Option<(&'a str, T)> {
    let mut all: Vec<_> = content.into_iter().collect();
    let json = all.iter().any(|(media_type, _)| is_json(media_type));
    if !json
        && let Some(index) = all
            .iter()
            .position(|(media_type, _)| sequence(media_type).is_some())
    {
        return Some(all.swap_remove(index));
    }
    used(all, unstable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/vnd.atlas.preview+json"));
        assert!(is_json(
            "application/vnd.atlas.2023-01-01+json; charset=utf-8"
        ));
        assert!(!is_json("text/csv"));
        assert!(!is_json("application/gzip"));
    }

    #[test]
    fn sequences_of_items() {
        assert_eq!(
            sequence("text/event-stream; charset=utf-8"),
            Some(Sequence::Events)
        );
        assert_eq!(sequence("application/x-ndjson"), Some(Sequence::JsonLines));
        assert_eq!(sequence("application/jsonl"), Some(Sequence::JsonLines));
        assert_eq!(
            sequence("application/json-seq"),
            Some(Sequence::JsonSequence)
        );
        assert_eq!(
            sequence("application/geo+json-seq"),
            Some(Sequence::JsonSequence)
        );
        assert_eq!(sequence("application/json"), None);
        assert_eq!(sequence("text/plain"), None);
        // JSON wins; without it, a sequence before the first entry.
        assert_eq!(
            used_in_response([("text/event-stream", 1), ("application/json", 2)], &[]),
            Some(("application/json", 2))
        );
        assert_eq!(
            used_in_response([("text/plain", 1), ("application/x-ndjson", 2)], &[]),
            Some(("application/x-ndjson", 2))
        );
    }

    #[test]
    fn the_newest_dated_version_is_used_and_a_preview_only_alone() {
        let preview = [".preview+".to_owned()];
        let dated = [
            ("application/vnd.atlas.2023-01-01+json", 1),
            ("application/vnd.atlas.2025-03-12+json", 2),
            ("application/vnd.atlas.preview+json", 3),
        ];
        assert_eq!(
            used(dated, &preview),
            Some(("application/vnd.atlas.2025-03-12+json", 2))
        );
        assert_eq!(
            used([("application/vnd.atlas.preview+json", 3)], &preview),
            Some(("application/vnd.atlas.preview+json", 3))
        );
        assert_eq!(
            used([("application/gzip", 1), ("text/csv", 2)], &preview),
            Some(("application/gzip", 1))
        );
        assert_eq!(used::<u8>([], &preview), None);
        // Without the mark, `preview` is only a name, and sorts after the dates.
        assert_eq!(
            used(dated, &[]),
            Some(("application/vnd.atlas.preview+json", 3))
        );
    }
}
