//! Cargo features per tag (`[features] per_tag`): the feature that gates
//! each operation (its first tag's, `untagged` without one) and the
//! features under which each type compiles (those of every operation that
//! reaches it; always, for a type no operation reaches).

use std::collections::{BTreeMap, BTreeSet};

use super::{Operation, Shape, Types};

/// One feature and the tag it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFeature {
    /// The cargo feature's name: the tag in kebab case, unique.
    pub name: String,
    /// The tag as the spec writes it; `None` for the untagged operations.
    pub tag: Option<String>,
}

/// Names the crate's manifest keeps for features of its own.
const TAKEN: &[&str] = &[
    "default",
    "rustls",
    "native-tls",
    "schemars",
    "mock",
    "middleware",
    "full",
];

/// The feature each operation is compiled under, and those each type is.
#[derive(Debug)]
pub struct Features {
    /// Each operation's, in their order.
    pub of_operations: Vec<Option<String>>,
    /// Each type's, by id: it compiles under any of them, and always when
    /// there is none.
    pub of_types: Vec<Vec<String>>,
}

impl Features {
    /// Without features per tag: everything always compiles.
    pub fn none(operations: &[Operation<()>], types: &Types<()>) -> Self {
        Self {
            of_operations: vec![None; operations.len()],
            of_types: vec![Vec::new(); types.len()],
        }
    }
}

/// The features, sorted by name, and what each operation and type is
/// compiled under.
pub fn decide(operations: &[Operation<()>], types: &Types<()>) -> (Vec<TagFeature>, Features) {
    let mut names: BTreeMap<Option<String>, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = TAKEN.iter().map(|name| (*name).to_owned()).collect();
    for operation in operations.iter() {
        let tag = operation.tags.first().cloned();
        if names.contains_key(&tag) {
            continue;
        }
        let base = match &tag {
            Some(tag) => feature_name(tag),
            None => "untagged".to_owned(),
        };
        let mut name = base.clone();
        let mut counter = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}-{counter}");
            counter += 1;
        }
        names.insert(tag, name);
    }
    let mut reached: Vec<BTreeSet<String>> = vec![BTreeSet::new(); types.len()];
    let mut of_operations = Vec::with_capacity(operations.len());
    for operation in operations {
        let feature = names[&operation.tags.first().cloned()].clone();
        let mut shapes: Vec<&Shape> = operation.params.iter().map(|param| &param.shape).collect();
        shapes.extend(operation.body.iter().map(|body| &body.content.shape));
        shapes.extend(operation.response_bodies().map(|content| &content.shape));
        let mut seen = BTreeSet::new();
        for shape in shapes {
            types.reach(shape, &mut seen);
        }
        for id in seen {
            reached[id.index()].insert(feature.clone());
        }
        of_operations.push(Some(feature));
    }
    // A type no operation reaches is always compiled, and so is every type
    // it holds, whatever else reaches them.
    let mut always: Vec<_> = types
        .with_ids()
        .filter(|(id, _)| reached[id.index()].is_empty())
        .map(|(id, _)| id)
        .collect();
    while let Some(id) = always.pop() {
        for held in types[id].holds() {
            if !reached[held.index()].is_empty() {
                reached[held.index()].clear();
                always.push(held);
            }
        }
    }
    let of_types = reached
        .into_iter()
        .map(|features| features.into_iter().collect())
        .collect();
    let mut features: Vec<TagFeature> = names
        .into_iter()
        .map(|(tag, name)| TagFeature { name, tag })
        .collect();
    features.sort_by(|a, b| a.name.cmp(&b.name));
    (
        features,
        Features {
            of_operations,
            of_types,
        },
    )
}

/// `Pet Store` and `pet_store` are `pet-store`; a tag with no letter or
/// digit is `tag`.
fn feature_name(tag: &str) -> String {
    let mut name = String::new();
    for c in tag.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    match name.chars().next() {
        None => "tag".to_owned(),
        // A feature name starts with a letter or digit, which it does; a
        // leading digit reads badly in `features = [..]`, so it is kept
        // behind `tag-`.
        Some(first) if first.is_ascii_digit() => format!("tag-{name}"),
        Some(_) => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    #[test]
    fn tags_become_feature_names() {
        assert_eq!(feature_name("Pet Store"), "pet-store");
        assert_eq!(feature_name("cloud_backups"), "cloud-backups");
        assert_eq!(
            feature_name("  Atlas Search (Preview) "),
            "atlas-search-preview"
        );
        assert_eq!(feature_name("2024 APIs"), "tag-2024-apis");
        assert_eq!(feature_name("---"), "tag");
    }
}
