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
