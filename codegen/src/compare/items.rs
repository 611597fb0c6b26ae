//! The public Rust items of a generated crate, to show what a spec change
//! does to the code users write against.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{ImplItem, Item, Visibility};

use crate::GeneratedCrate;

/// Public items by path (`types::ApiKeyUserDetails.desc`) with their signature.
pub fn public_items(generated: &GeneratedCrate) -> BTreeMap<String, String> {
    let files: Vec<(&str, syn::File)> = generated
        .files
        .iter()
        .filter_map(|(path, text)| {
            let module = path.strip_prefix("src/")?.strip_suffix(".rs")?;
            // Files are private modules re-exported from their folder: name items by folder.
            let module = module.rsplit_once('/').map_or(module, |(folder, _)| folder);
            let module = if module == "lib" || module == "client" {
                ""
            } else {
                module
            };
            Some((module, syn::parse_file(text).ok()?))
        })
        .collect();
    // Methods are named after the module that defines their type, wherever the `impl` is.
    let mut homes = BTreeMap::new();
    for (module, file) in &files {
        for item in &file.items {
            if let Item::Struct(item) = item {
                homes.insert(item.ident.to_string(), *module);
            }
        }
    }
    let mut items = BTreeMap::new();
    for (module, file) in &files {
        for item in &file.items {
            collect(item, module, &homes, &mut items);
        }
    }
    items
}

fn is_public(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

fn qualified(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}

fn signature(tokens: impl ToTokens) -> String {
    tokens.to_token_stream().to_string()
}

/// What code outside the crate may do with a struct or enum: a
/// `#[non_exhaustive]` one is never written as a literal (struct) or
/// matched without a wildcard (enum), so a new field or variant breaks none
/// of its users.
fn kind_of(kind: &str, attributes: &[syn::Attribute]) -> String {
    if attributes
        .iter()
        .any(|attribute| attribute.path().is_ident("non_exhaustive"))
    {
        format!("{kind} #[non_exhaustive]")
    } else {
        kind.to_owned()
    }
}

/// Whether adding `item` breaks code written against the crate before:
/// a field of an exhaustive struct (its literals miss it) or a variant of
/// an exhaustive enum (its exhaustive matches miss it). Any other new item
/// breaks nothing.
pub fn addition_breaks(item: &str, items: &BTreeMap<String, String>) -> bool {
    // A field is `Struct.field`; `Enum::Variant` is a variant, where
    // `Type::method` is a method, which breaks nothing.
    if let Some((parent, _)) = item.rsplit_once('.') {
        return items.get(parent).is_some_and(|kind| kind == "struct");
    }
    item.rsplit_once("::")
        .and_then(|(parent, _)| items.get(parent))
        .is_some_and(|kind| kind == "enum")
}

fn collect(
    item: &Item,
    module: &str,
    homes: &BTreeMap<String, &str>,
    items: &mut BTreeMap<String, String>,
) {
    match item {
        Item::Struct(item) if is_public(&item.vis) => {
            let name = qualified(module, &item.ident.to_string());
            items.insert(name.clone(), kind_of("struct", &item.attrs));
            for (index, field) in item.fields.iter().enumerate() {
                if is_public(&field.vis) {
                    let field_name = field
                        .ident
                        .as_ref()
                        .map_or_else(|| index.to_string(), ToString::to_string);
                    items.insert(format!("{name}.{field_name}"), signature(&field.ty));
                }
            }
        }
        Item::Enum(item) if is_public(&item.vis) => {
            let name = qualified(module, &item.ident.to_string());
            items.insert(name.clone(), kind_of("enum", &item.attrs));
            for variant in &item.variants {
                items.insert(
                    format!("{name}::{}", variant.ident),
                    signature(&variant.fields),
                );
            }
        }
        Item::Type(item) if is_public(&item.vis) => {
            items.insert(
                qualified(module, &item.ident.to_string()),
                signature(&item.ty),
            );
        }
        Item::Fn(item) if is_public(&item.vis) => {
            items.insert(
                qualified(module, &item.sig.ident.to_string()),
                signature(&item.sig),
            );
        }
        Item::Impl(item) if item.trait_.is_none() => {
            let owner = signature(&item.self_ty)
                .replace(" < '_ >", "")
                .replace(" < 'a >", "");
            let owner = owner
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            let module = homes.get(&owner).copied().unwrap_or(module);
            for inner in &item.items {
                match inner {
                    ImplItem::Fn(function) if is_public(&function.vis) => {
                        let name = qualified(module, &format!("{owner}::{}", function.sig.ident));
                        items.insert(name, signature(&function.sig));
                    }
                    ImplItem::Const(constant) if is_public(&constant.vis) => {
                        let name = qualified(module, &format!("{owner}::{}", constant.ident));
                        items.insert(name, signature(&constant.ty));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Items only in `new`, only in `old`, and in both with another signature.
pub fn item_changes(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> ItemChanges {
    let added: Vec<String> = new
        .keys()
        .filter(|k| !old.contains_key(*k))
        .cloned()
        .collect();
    ItemChanges {
        added_breaking: added
            .iter()
            .filter(|item| addition_breaks(item, new))
            .cloned()
            .collect(),
        added,
        removed: old
            .keys()
            .filter(|k| !new.contains_key(*k))
            .cloned()
            .collect(),
        changed: new
            .iter()
            .filter_map(|(k, sig)| {
                old.get(k)
                    .filter(|before| *before != sig)
                    .map(|before| (k.clone(), before.clone(), sig.clone()))
            })
            .collect(),
        causes: BTreeMap::new(),
    }
}

/// How the crate's public surface changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ItemChanges {
    /// New public items.
    pub added: Vec<String>,
    /// The new items that break code written before: fields of exhaustive
    /// structs, variants of exhaustive enums.
    pub added_breaking: Vec<String>,
    /// Public items that are gone.
    pub removed: Vec<String>,
    /// (item, old signature, new signature).
    pub changed: Vec<(String, String, String)>,
    /// For removed and changed items, the spec change that explains each,
    /// where one is found.
    pub causes: BTreeMap<String, String>,
}

impl ItemChanges {
    /// How many of the changes break code written against the old crate:
    /// every removed or changed item, and the additions that do.
    pub fn breaking(&self) -> usize {
        self.removed.len() + self.changed.len() + self.added_breaking.len()
    }
}
