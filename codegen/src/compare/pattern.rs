//! Whether a changed `pattern` accepts the same, more, fewer or other
//! strings: decided only where it can be shown, and otherwise left to a
//! reviewer with both patterns in front of them.
//!
//! A proof is structural: `L(a) ⊆ L(b)` when `b` is `a` with quantifiers
//! widened, classes enlarged, alternatives added or anchors dropped. JSON
//! Schema patterns search rather than match whole strings, and a structural
//! subset of the full-match languages is also one of the search languages.
//! Each proof is then checked on strings generated from the narrower pattern,
//! which must all match the wider one.

use regex_syntax::hir::{Class, Hir, HirKind};

/// What a change from one pattern to another does to the strings accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The same strings (for example `[0-9]` and `[0-9]` written `\d` in ASCII).
    Same,
    /// Every string accepted before is still accepted, and more may be.
    Looser,
    /// Every string accepted now was accepted before, and fewer may be.
    Tighter,
    /// Neither can be shown.
    Unknown,
}

/// The effect of changing `old` into `new`.
pub fn effect(old: &str, new: &str) -> Effect {
    if old == new {
        return Effect::Same;
    }
    let Some((a, b)) = parse_both(old, new) else {
        return Effect::Unknown;
    };
    let wider = subset(&a, &b) && samples_match(&a, old, new);
    let narrower = subset(&b, &a) && samples_match(&b, new, old);
    match (wider, narrower) {
        (true, true) => Effect::Same,
        (true, false) => Effect::Looser,
        (false, true) => Effect::Tighter,
        (false, false) => Effect::Unknown,
    }
}

/// Both patterns in one mode: ASCII classes as ECMA 262 has them, or
/// Unicode when either needs it.
fn parse_both(old: &str, new: &str) -> Option<(Hir, Hir)> {
    let parse = |pattern: &str, unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .unicode(unicode)
            .utf8(unicode)
            .build()
            .parse(pattern)
            .ok()
    };
    match (parse(old, false), parse(new, false)) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => Some((parse(old, true)?, parse(new, true)?)),
    }
}

/// `L(a) ⊆ L(b)` by structure, for search semantics; `false` when unsure.
fn subset(a: &Hir, b: &Hir) -> bool {
    let (a_items, b_items) = (items(a), items(b));
    // `^x` finds a subset of what `x` finds: drop anchors `b` does not have.
    let starts = |items: &[&Hir]| items.first().is_some_and(|hir| is_anchor(hir, true));
    let ends = |items: &[&Hir]| items.last().is_some_and(|hir| is_anchor(hir, false));
    let mut a_items = a_items.as_slice();
    if starts(a_items) && !starts(&b_items) {
        a_items = &a_items[1..];
    }
    if ends(a_items) && !ends(&b_items) {
        a_items = &a_items[..a_items.len() - 1];
    }
    sequence_subset(a_items, &b_items)
}

fn items(hir: &Hir) -> Vec<&Hir> {
    match hir.kind() {
        HirKind::Concat(items) => items.iter().collect(),
        _ => vec![hir],
    }
}

fn is_anchor(hir: &Hir, start: bool) -> bool {
    use regex_syntax::hir::Look;
    match hir.kind() {
        HirKind::Look(look) => {
            if start {
                matches!(look, Look::Start | Look::StartLF | Look::StartCRLF)
            } else {
                matches!(look, Look::End | Look::EndLF | Look::EndCRLF)
            }
        }
        _ => false,
    }
}

fn sequence_subset(a: &[&Hir], b: &[&Hir]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| within(x, y))
}

/// `L(a) ⊆ L(b)` for whole matches of two nodes.
fn within(a: &Hir, b: &Hir) -> bool {
    if a == b {
        return true;
    }
    match (a.kind(), b.kind()) {
        (HirKind::Capture(x), _) => within(&x.sub, b),
        (_, HirKind::Capture(y)) => within(a, &y.sub),
        (HirKind::Alternation(xs), _) => xs.iter().all(|x| within(x, b)),
        (HirKind::Repetition(x), HirKind::Repetition(y)) => {
            y.min <= x.min
                && match (x.max, y.max) {
                    (_, None) => true,
                    (Some(x_max), Some(y_max)) => x_max <= y_max,
                    (None, Some(_)) => false,
                }
                && within(&x.sub, &y.sub)
        }
        (HirKind::Empty, HirKind::Repetition(y)) => y.min == 0,
        (_, HirKind::Repetition(y)) => {
            y.min <= 1 && y.max.is_none_or(|max| max >= 1) && within(a, &y.sub)
        }
        (_, HirKind::Alternation(ys)) => ys.iter().any(|y| within(a, y)),
        (HirKind::Class(x), HirKind::Class(y)) => class_within(x, y),
        (HirKind::Literal(literal), HirKind::Class(y)) => {
            let text = String::from_utf8_lossy(&literal.0);
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => char_in(c, y),
                _ => false,
            }
        }
        (HirKind::Concat(xs), HirKind::Concat(ys)) => sequence_subset(
            &xs.iter().collect::<Vec<_>>(),
            &ys.iter().collect::<Vec<_>>(),
        ),
        _ => false,
    }
}

fn class_within(x: &Class, y: &Class) -> bool {
    match (x, y) {
        (Class::Unicode(x), Class::Unicode(y)) => {
            let mut union = y.clone();
            union.union(x);
            union == *y
        }
        (Class::Bytes(x), Class::Bytes(y)) => {
            let mut union = y.clone();
            union.union(x);
            union == *y
        }
        _ => false,
    }
}

fn char_in(c: char, class: &Class) -> bool {
    match class {
        Class::Unicode(class) => class
            .ranges()
            .iter()
            .any(|range| range.start() <= c && c <= range.end()),
        Class::Bytes(class) => u8::try_from(c).is_ok_and(|byte| {
            class
                .ranges()
                .iter()
                .any(|range| range.start() <= byte && byte <= range.end())
        }),
    }
}

/// Every string generated from `narrow` that `narrow_pattern` accepts is
/// accepted by `wide_pattern` too.
fn samples_match(narrow: &Hir, narrow_pattern: &str, wide_pattern: &str) -> bool {
    let (Ok(narrow_regex), Ok(wide_regex)) = (
        regex::Regex::new(narrow_pattern),
        regex::Regex::new(wide_pattern),
    ) else {
        // Look-around: the proof stands alone.
        return true;
    };
    samples(narrow)
        .iter()
        .filter(|sample| narrow_regex.is_match(sample))
        .all(|sample| wide_regex.is_match(sample))
}

/// At most this many strings from one node.
const SAMPLES: usize = 64;

/// Strings the node matches whole: each class's ends and middle, each
/// repetition at its least count and one more, each alternative.
fn samples(hir: &Hir) -> Vec<String> {
    let mut out = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![String::new()],
        HirKind::Literal(literal) => vec![String::from_utf8_lossy(&literal.0).into_owned()],
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .flat_map(|range| {
                let middle =
                    char::from_u32((u32::from(range.start()) + u32::from(range.end())) / 2);
                [Some(range.start()), middle, Some(range.end())]
            })
            .flatten()
            .map(String::from)
            .collect(),
        HirKind::Class(Class::Bytes(class)) => class
            .ranges()
            .iter()
            .flat_map(|range| [range.start(), range.end()])
            .filter(u8::is_ascii)
            .map(|byte| char::from(byte).to_string())
            .collect(),
        HirKind::Capture(capture) => samples(&capture.sub),
        HirKind::Repetition(repetition) => {
            let inner = samples(&repetition.sub);
            let mut counts = vec![repetition.min.min(8)];
            if repetition.max.is_none_or(|max| max > repetition.min) {
                counts.push(repetition.min.min(8) + 1);
            }
            counts
                .into_iter()
                .flat_map(|count| inner.iter().map(move |one| one.repeat(count as usize)))
                .collect()
        }
        HirKind::Concat(parts) => parts.iter().fold(vec![String::new()], |heads, part| {
            let tails = samples(part);
            heads
                .iter()
                .flat_map(|head| tails.iter().map(move |tail| format!("{head}{tail}")))
                .take(SAMPLES)
                .collect()
        }),
        HirKind::Alternation(branches) => branches.iter().flat_map(samples).collect(),
    };
    out.sort();
    out.dedup();
    out.truncate(SAMPLES);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_relaxations_are_looser() {
        for (old, new) in [
            (r"^([-\w._()])$", r"^([-\w._()])+$"),
            (r"^[a-z]{3,5}$", r"^[a-z]{1,10}$"),
            (r"^[a-z]+$", r"^[a-z0-9]+$"),
            (r"^abc$", r"abc"),
            (r"^(red|green)$", r"^(red|green|blue)$"),
            (r"^x$", r"^x?$"),
        ] {
            assert_eq!(effect(old, new), Effect::Looser, "{old} -> {new}");
            assert_eq!(effect(new, old), Effect::Tighter, "{new} -> {old}");
        }
    }

    #[test]
    fn what_cannot_be_shown_is_unknown() {
        for (old, new) in [
            (r"^[a-z]+$", r"^[0-9]+$"),
            (r"^a.c$", r"^(abc|adc)$"),
            (r"^\d{3}-\d{4}$", r"^\d{3}\d{4}$"),
            (r"^(?=a)\w+$", r"^\w+$"),
            (r"[", r"^a$"),
        ] {
            assert_eq!(effect(old, new), Effect::Unknown, "{old} -> {new}");
        }
    }

    #[test]
    fn rewritings_of_one_language_are_the_same() {
        assert_eq!(effect(r"^[0-9]+$", r"^\d+$"), Effect::Same);
        assert_eq!(effect(r"^(a)$", r"^a$"), Effect::Same);
        assert_eq!(effect(r"^a$", r"^a$"), Effect::Same);
    }

    #[test]
    fn samples_come_from_the_language() {
        let hir = regex_syntax::parse(r"^[a-c]{2}(x|yz)$").unwrap();
        let all = samples(&hir);
        let regex = regex::Regex::new(r"^[a-c]{2}(x|yz)$").unwrap();
        assert!(!all.is_empty());
        assert!(all.iter().all(|sample| regex.is_match(sample)), "{all:?}");
    }
}
