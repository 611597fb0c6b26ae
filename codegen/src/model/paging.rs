//! Which operations are paged, by the rule `spec/codegen.toml` gives.

use super::{Location, Operation, Shape, TypeDef, TypeKind, TypeRef};
use crate::config::{PageCounting, PaginationConfig};

/// How a paged operation walks its pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The query parameter that selects the page or offset.
    pub parameter: String,
    /// What it counts.
    pub counts: PageCounting,
    /// Its value for the first page when the caller sets none.
    pub start: i64,
    /// The success type, a struct.
    pub page_type: String,
    /// The JSON name of its property holding the items.
    pub items: String,
    /// That property's Rust field name.
    pub items_field: String,
    /// Whether that property is an `Option` (optional or nullable).
    pub items_optional: bool,
    /// The shape of one item.
    pub item: Shape,
    /// The integer property counting the whole listing, when the
    /// configuration names one the page type has.
    pub total: Option<PagingTotal>,
}

/// The property of a page that counts the whole listing.
#[derive(Debug, Clone, PartialEq)]
pub struct PagingTotal {
    /// Its Rust field name.
    pub field: String,
    /// Whether it is an `Option` (optional or nullable).
    pub optional: bool,
    /// Whether it is 64 bits wide (`i64`) rather than 32 (`i32`).
    pub wide: bool,
}

/// Marks the operations that fit `config`; a warning's text when none
/// does, since the setting then has no effect.
pub fn recognize(
    operations: &mut [Operation],
    types: &[TypeDef],
    config: Option<&PaginationConfig>,
) -> Option<String> {
    let config = config?;
    let mut any = false;
    for operation in operations.iter_mut() {
        operation.paging = paging(operation, types, config);
        any |= operation.paging.is_some();
    }
    (!any).then(|| {
        format!(
            "`pagination` in the configuration matches no operation: none has an optional integer query parameter `{}` and one success body with an array property `{}`",
            config.parameter, config.items
        )
    })
}

fn paging(operation: &Operation, types: &[TypeDef], config: &PaginationConfig) -> Option<Paging> {
    let parameter = operation
        .params
        .iter()
        .find(|param| param.location == Location::Query && param.name == config.parameter)?;
    if parameter.required
        || parameter.shape.nullable
        || !matches!(parameter.shape.ty, TypeRef::Integer(_))
    {
        return None;
    }
    // One typed success body, so that every page has the same type.
    let [success] = operation.success.as_slice() else {
        return None;
    };
    let body = success.body.as_ref()?;
    let TypeRef::Named(page_type) = &body.shape.ty else {
        return None;
    };
    if body.shape.nullable || operation.success_enum.is_some() {
        return None;
    }
    let def = types.iter().find(|def| &def.name == page_type)?;
    let TypeKind::Struct(object) = &def.kind else {
        return None;
    };
    let field = object
        .fields
        .iter()
        .find(|field| field.name == config.items)?;
    let TypeRef::Array(item) = &field.shape.ty else {
        return None;
    };
    // Pages are read, never patched: a field of three states is not a list of items.
    if field.tri_state {
        return None;
    }
    let total = config.total.as_ref().and_then(|total| {
        let field = object.fields.iter().find(|field| &field.name == total)?;
        let TypeRef::Integer(bits) = field.shape.ty else {
            return None;
        };
        Some(PagingTotal {
            field: field.rust_name.clone(),
            optional: field.is_option(),
            wide: bits != 32,
        })
    });
    Some(Paging {
        parameter: parameter.name.clone(),
        counts: config.counts,
        start: config.start,
        page_type: page_type.clone(),
        items: field.name.clone(),
        items_field: field.rust_name.clone(),
        items_optional: field.is_option(),
        item: (**item).clone(),
        total,
    })
}
