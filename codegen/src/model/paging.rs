//! Which operations are paged, and how: by the rules `spec/codegen.toml`
//! gives (per operation, per tag, document-wide), by what the spec
//! declares (`x-ms-pageable`, `x-dropshot-pagination`, a `Link` response
//! header), and by a cursor the spec's names make plain (`pageToken` and
//! `nextPageToken`).

use super::{
    Location, Operation, ParamId, Shape, Struct as StructDef, TypeId, TypeKind, TypeRef, Types,
};
use crate::config::{PageRuleConfig, PageStyleName, PaginationConfig};
use crate::http_method::HttpMethod;

/// How a paged operation walks its pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// How the next page is asked for.
    pub style: PageStyle,
    /// The success type: one page.
    pub page: Shape,
    /// Where a page holds its items; `None` when the page is the list.
    pub items: Option<ItemsField>,
    /// The shape of one item.
    pub item: Shape,
}

/// How the next page is asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStyle {
    /// A page number or item offset in a query parameter.
    Numbered {
        /// The query parameter.
        parameter: ParamId,
        /// What it counts.
        counts: Counting,
        /// Its value for the first page when the caller sets none.
        start: i64,
        /// The integer property counting the whole listing, when the
        /// rule names one the page type has.
        total: Option<PagingTotal>,
    },
    /// A cursor read from the page, sent back in a query parameter.
    Cursor {
        /// The query parameter.
        parameter: ParamId,
        /// Where the page holds the next cursor.
        next: Vec<FieldStep>,
    },
    /// The last item's id, sent in a query parameter while the page says
    /// more follow.
    LastItem {
        /// The query parameter.
        parameter: ParamId,
        /// The item's property sent (a string).
        id: FieldStep,
        /// The page's boolean property saying more follow; without it,
        /// the walk goes on until an empty page.
        more: Option<FieldStep>,
    },
    /// The next page's URL, read from the page's body.
    NextLink {
        /// Where the page holds it.
        next: Vec<FieldStep>,
    },
    /// The next page's URL in an RFC 8288 `Link` header.
    LinkHeader,
}

/// What a numbered walk's parameter counts, decided from the rule's
/// style (`page` or `offset`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Page numbers: the next page is one more.
    Pages,
    /// Item offsets: the next page starts past the items received.
    Items,
}

impl PageStyle {
    /// Whether the next request goes to a URL the page gave.
    pub fn follows_links(&self) -> bool {
        matches!(self, PageStyle::NextLink { .. } | PageStyle::LinkHeader)
    }
}

/// The property of a page that holds its items.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemsField {
    /// The JSON name.
    pub name: String,
    /// The Rust field name.
    pub field: String,
    /// Whether it is an `Option` (optional or nullable).
    pub optional: bool,
}

/// One step of a path of properties from a page to a value in it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldStep {
    /// The Rust field name.
    pub field: String,
    /// Whether it is an `Option`.
    pub optional: bool,
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

/// What the spec itself says about an operation's pages.
#[derive(Debug, Clone, PartialEq)]
pub enum DeclaredPaging {
    /// Azure's `x-ms-pageable`: the property holding the next page's link
    /// (`None`: not paged) and the one holding the items.
    MsPageable {
        /// `nextLinkName`.
        next: Option<String>,
        /// `itemName` (`value` by default).
        items: String,
    },
    /// A success response declares a `Link` header.
    LinkHeader,
    /// Oxide's `x-dropshot-pagination`: the cursor `page_token`, the next
    /// one in `next_page`, the items in `items`. Dropshot reads only the
    /// token when one is sent (the scan parameters are inside it), so the
    /// builder's other inputs may go along.
    Dropshot,
}

/// Messages, each with the pointer it is about.
type Located = Vec<(String, String)>;

/// A rule that applies to an operation, and where it comes from.
struct Chosen {
    rule: PageRuleConfig,
    /// Where the rule is written, when it must fit (a rule for this
    /// operation alone): its not fitting is an error.
    strict: Option<String>,
}

/// Decides each operation's paging: one entry per operation, in their
/// order. With it, the problems (an operation's own rule that does not fit
/// it, a rule for an operation that does not exist) and warnings (a
/// document-wide rule or a tag's that fits nothing), each with the pointer
/// it is about.
pub fn recognize(
    operations: &[Operation<()>],
    types: &Types<()>,
    config: Option<&PaginationConfig>,
) -> (Vec<Option<Paging>>, Located, Located) {
    let (mut problems, mut warnings) = (Vec::new(), Vec::new());
    let default = PaginationConfig::default();
    let config = config.unwrap_or(&default);
    let document = config.document_rule();
    let mut document_fits = false;
    let mut tags_fit = std::collections::BTreeSet::new();
    let mut decided = Vec::with_capacity(operations.len());
    for operation in operations {
        let at = crate::diagnostic::pointer(
            "#/paths",
            &[operation.path.as_str(), operation.method.key()],
        );
        let tag = operation.tags.first();
        let chosen = if let Some(rule) = config.operations.get(&operation.id) {
            Some(Chosen {
                rule: rule.clone(),
                strict: Some(format!("[pagination.operations.{}]", operation.id)),
            })
        } else if let Some(rule) = tag.and_then(|tag| config.tags.get(tag)) {
            Some(Chosen {
                rule: rule.clone(),
                strict: None,
            })
        } else if let Some(rule) = declared_rule(operation) {
            Some(Chosen { rule, strict: None })
        } else {
            document.clone().map(|rule| Chosen { rule, strict: None })
        };
        let paging = match chosen {
            Some(Chosen { rule, strict }) => match fit(operation, types, &rule) {
                Ok(paging) => {
                    if let Some(tag) = tag.filter(|tag| config.tags.contains_key(*tag)) {
                        tags_fit.insert(tag.clone());
                    }
                    document_fits |= document.as_ref() == Some(&rule);
                    paging
                }
                Err(reason) => match strict {
                    Some(place) => {
                        problems.push((
                            at,
                            format!(
                                "{place} in the configuration does not fit `{}`: {reason}",
                                operation.id
                            ),
                        ));
                        None
                    }
                    None => cursor_by_name(operation, types),
                },
            },
            None => cursor_by_name(operation, types),
        };
        decided.push(paging);
    }
    for id in config.operations.keys() {
        if !operations.iter().any(|operation| &operation.id == id) {
            problems.push((
                "#/paths".to_owned(),
                format!("[pagination.operations.{id}] in the configuration names no operation of the spec"),
            ));
        }
    }
    for tag in config.tags.keys().filter(|tag| !tags_fit.contains(*tag)) {
        warnings.push((
            "#/paths".to_owned(),
            format!("[pagination.tags.{tag}] in the configuration fits no operation of that tag"),
        ));
    }
    if let (Some(document), false) = (&document, document_fits) {
        warnings.push((
            "#/paths".to_owned(),
            format!(
                "`pagination` in the configuration matches no operation: none has an optional integer query parameter `{}` and one success body with an array property `{}`",
                document.parameter.as_deref().unwrap_or_default(),
                document.items.as_deref().unwrap_or_default()
            ),
        ));
    }
    (decided, problems, warnings)
}

/// The rule what the spec declares stands for.
fn declared_rule(operation: &Operation<()>) -> Option<PageRuleConfig> {
    let rule = |style, next: Option<&String>, items: Option<&String>| PageRuleConfig {
        style,
        parameter: None,
        next: next.cloned(),
        more: None,
        items: items.cloned(),
        start: None,
        total: None,
    };
    match operation.declared_paging.as_ref()? {
        DeclaredPaging::MsPageable {
            next: Some(next),
            items,
        } => Some(rule(PageStyleName::NextLink, Some(next), Some(items))),
        DeclaredPaging::MsPageable { next: None, .. } => {
            Some(rule(PageStyleName::None, None, None))
        }
        DeclaredPaging::LinkHeader => Some(rule(PageStyleName::LinkHeader, None, None)),
        DeclaredPaging::Dropshot => Some(PageRuleConfig {
            parameter: Some("page_token".to_owned()),
            ..rule(
                PageStyleName::Cursor,
                Some(&"next_page".to_owned()),
                Some(&"items".to_owned()),
            )
        }),
    }
}

/// A cursor the names make plain: an optional string query parameter `p`
/// and a string property `next_p` or `nextP` of the page (or of an object
/// the page holds, as Slack's `response_metadata.next_cursor`).
fn cursor_by_name(operation: &Operation<()>, types: &Types<()>) -> Option<Paging> {
    let (page, _) = one_page(operation, types).ok()?;
    let object = page?;
    operation.params.iter().find_map(|param| {
        if param.location != Location::Query || param.required || param.shape.ty != TypeRef::String
        {
            return None;
        }
        let mut upper = param.name.chars();
        let first = upper.next()?.to_uppercase();
        let names = [
            format!("next_{}", param.name),
            format!("next{first}{}", upper.as_str()),
        ];
        // The property's JSON path, which `fit` reads like a configured `next`.
        let path = names.iter().find_map(|name| {
            string_field(object, name)
                .map(|_| name.clone())
                .or_else(|| {
                    object.fields.iter().find_map(|outer| {
                        let TypeRef::Named(inner) = outer.shape.ty else {
                            return None;
                        };
                        string_field(struct_named(types, inner)?, name)?;
                        Some(format!("{}.{name}", outer.name))
                    })
                })
        })?;
        let rule = PageRuleConfig {
            style: PageStyleName::Cursor,
            parameter: Some(param.name.clone()),
            next: Some(path),
            more: None,
            items: None,
            start: None,
            total: None,
        };
        fit(operation, types, &rule).ok()?
    })
}

fn string_field(object: &StructDef, name: &str) -> Option<FieldStep> {
    let field = object.fields.iter().find(|field| field.name == name)?;
    (field.shape.ty == TypeRef::String && !field.tri_state).then(|| FieldStep {
        field: field.rust_name.clone(),
        optional: field.is_option(),
    })
}

fn struct_named(types: &Types<()>, id: TypeId) -> Option<&StructDef> {
    match &types[id].kind {
        TypeKind::Struct(object) => Some(object),
        _ => None,
    }
}

/// The operation's one typed success body: the struct it is, or `None`
/// when it is a list.
fn one_page<'t>(
    operation: &Operation<()>,
    types: &'t Types<()>,
) -> Result<(Option<&'t StructDef>, Shape), String> {
    let [success] = operation.success.as_slice() else {
        return Err("it has more than one success response".to_owned());
    };
    let Some(body) = success.body.as_ref().filter(|_| success.items.is_none()) else {
        return Err("its success response has no JSON body".to_owned());
    };
    if body.shape.nullable || operation.success_enum.is_some() {
        return Err("its success body may be null".to_owned());
    }
    match &body.shape.ty {
        TypeRef::Named(id) => match struct_named(types, *id) {
            Some(object) => Ok((Some(object), body.shape.clone())),
            None => Err(format!(
                "its success body `{}` is not an object",
                types.name(*id)
            )),
        },
        TypeRef::Array(_) => Ok((None, body.shape.clone())),
        _ => Err("its success body is neither an object nor a list".to_owned()),
    }
}

/// How `rule` walks `operation`'s pages, or why it cannot; `Ok(None)` for
/// `style = "none"`.
fn fit(
    operation: &Operation<()>,
    types: &Types<()>,
    rule: &PageRuleConfig,
) -> Result<Option<Paging>, String> {
    if rule.style == PageStyleName::None {
        return Ok(None);
    }
    let (object, page) = one_page(operation, types)?;
    // Pages are read, never patched: a field of three states is not a list of items.
    let (items, item) = match (object, rule.items.as_deref()) {
        (None, None) => match &page.ty {
            TypeRef::Array(item) => (None, (**item).clone()),
            _ => return Err("its success body is not a list".to_owned()),
        },
        (None, Some(name)) => {
            return Err(format!(
                "its success body is a list, with no property `{name}`"
            ));
        }
        (Some(object), name) => {
            let mut arrays = object.fields.iter().filter(|field| {
                matches!(field.shape.ty, TypeRef::Array(_))
                    && !field.tri_state
                    && name.is_none_or(|name| field.name == name)
            });
            let (Some(field), None) = (arrays.next(), arrays.next()) else {
                return Err(match name {
                    Some(name) => format!("its page has no array property `{name}`"),
                    None => "its page has no one array property to take as the items; name it with `items`".to_owned(),
                });
            };
            let TypeRef::Array(item) = &field.shape.ty else {
                unreachable!("filtered to arrays");
            };
            (
                Some(ItemsField {
                    name: field.name.clone(),
                    field: field.rust_name.clone(),
                    optional: field.is_option(),
                }),
                (**item).clone(),
            )
        }
    };
    let query = |name: &str| {
        operation
            .query_param(name)
            .ok_or_else(|| format!("it has no query parameter `{name}`"))
    };
    let path = |text: &str| -> Result<Vec<FieldStep>, String> {
        let mut steps = Vec::new();
        let mut current = object.ok_or("its success body is a list, with no properties")?;
        let parts: Vec<&str> = text.split('.').collect();
        for (index, part) in parts.iter().enumerate() {
            let field = current
                .fields
                .iter()
                .find(|field| field.name == *part && !field.tri_state)
                .ok_or_else(|| format!("its page has no property `{text}`"))?;
            steps.push(FieldStep {
                field: field.rust_name.clone(),
                optional: field.is_option(),
            });
            match (&field.shape.ty, index + 1 == parts.len()) {
                (TypeRef::String, true) => {}
                (TypeRef::Named(id), false) => {
                    current = struct_named(types, *id)
                        .ok_or_else(|| format!("`{part}` of `{text}` is not an object"))?;
                }
                _ => return Err(format!("`{text}` is not a string property of the page")),
            }
        }
        Ok(steps)
    };
    let style = match rule.style {
        PageStyleName::Page | PageStyleName::Offset => {
            let name = rule.parameter.as_deref().unwrap_or_default();
            let (id, parameter) = query(name)?;
            if parameter.required
                || parameter.shape.nullable
                || !matches!(parameter.shape.ty, TypeRef::Integer(_))
            {
                return Err(format!("`{name}` is not an optional integer"));
            }
            let total = rule.total.as_ref().and_then(|total| {
                let field = object?.fields.iter().find(|field| &field.name == total)?;
                let TypeRef::Integer(bits) = field.shape.ty else {
                    return None;
                };
                Some(PagingTotal {
                    field: field.rust_name.clone(),
                    optional: field.is_option(),
                    wide: bits != 32,
                })
            });
            PageStyle::Numbered {
                parameter: id,
                counts: if rule.style == PageStyleName::Page {
                    Counting::Pages
                } else {
                    Counting::Items
                },
                start: rule.start.unwrap_or(1),
                total,
            }
        }
        PageStyleName::Cursor => {
            let name = rule.parameter.as_deref().unwrap_or_default();
            let (id, parameter) = query(name)?;
            if parameter.required || parameter.shape.ty != TypeRef::String {
                return Err(format!("`{name}` is not an optional string"));
            }
            PageStyle::Cursor {
                parameter: id,
                next: path(rule.next.as_deref().unwrap_or_default())?,
            }
        }
        PageStyleName::LastItem => {
            let name = rule.parameter.as_deref().unwrap_or_default();
            let (parameter_id, parameter) = query(name)?;
            if parameter.required || parameter.shape.ty != TypeRef::String {
                return Err(format!("`{name}` is not an optional string"));
            }
            let id_name = rule.next.as_deref().unwrap_or_default();
            let TypeRef::Named(item_type) = item.ty else {
                return Err("its items are not objects".to_owned());
            };
            let id = struct_named(types, item_type)
                .and_then(|object| string_field(object, id_name))
                .ok_or_else(|| format!("its items have no string property `{id_name}`"))?;
            let more = match &rule.more {
                None => None,
                Some(more) => {
                    let field = object
                        .and_then(|object| object.fields.iter().find(|field| &field.name == more))
                        .filter(|field| field.shape.ty == TypeRef::Boolean && !field.tri_state)
                        .ok_or_else(|| format!("its page has no boolean property `{more}`"))?;
                    Some(FieldStep {
                        field: field.rust_name.clone(),
                        optional: field.is_option(),
                    })
                }
            };
            PageStyle::LastItem {
                parameter: parameter_id,
                id,
                more,
            }
        }
        PageStyleName::NextLink => PageStyle::NextLink {
            next: path(rule.next.as_deref().unwrap_or_default())?,
        },
        PageStyleName::LinkHeader => PageStyle::LinkHeader,
        PageStyleName::None => unreachable!("returned above"),
    };
    if style.follows_links() && operation.method != HttpMethod::Get {
        return Err("only a `GET` follows a next page's link".to_owned());
    }
    Ok(Some(Paging {
        style,
        page,
        items,
        item,
    }))
}
