//! Which alternatives of an enum are held in a `Box`: a union's, and an
//! operation's per-status success or error enum's. An enum is as large as
//! its largest alternative, and clippy's `large_enum_variant` refuses one
//! whose largest alternative is 200 bytes larger than the next (Jira's
//! workflow scheme drafts). Each type gets an upper bound on its size,
//! never below what rustc lays out; every alternative whose bound passes
//! [`BOX_ABOVE`] is boxed, so the alternatives held inline differ by less
//! than that, and the lint has nothing to find.

use super::{Operation, Shape, TypeId, TypeKind, TypeRef, Types};

/// The largest alternative held inline, in bytes: well under clippy's 200,
/// so that the bound's slack cannot reach it.
pub const BOX_ABOVE: usize = 128;

/// Sets `boxed` on every large alternative of the types' unions and of the
/// operations' status enums.
pub fn box_large(types: &mut Types<()>, operations: &mut [Operation<()>]) {
    let bounds = Bounds::of(types);
    let large = |shape: &Shape| bounds.shape(shape) > BOX_ABOVE;
    let boxed: Vec<Vec<bool>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union(variants) if variants.len() > 1 => variants
                .iter()
                .map(|variant| large(&variant.shape))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, boxed) in types.iter_mut().zip(boxed) {
        if let TypeKind::Union(variants) = &mut def.kind {
            for (variant, boxed) in variants.iter_mut().zip(boxed) {
                variant.boxed = boxed;
            }
        }
    }
    for operation in operations {
        if operation.success_enum.is_some() {
            for success in &mut operation.success {
                success.boxed = success.body.as_ref().is_some_and(|body| large(&body.shape));
            }
        }
        if operation.error_enum.is_some() {
            for error in &mut operation.errors {
                error.boxed = error.body.as_ref().is_some_and(|body| large(&body.shape));
            }
        }
    }
}

/// Upper bounds on the sizes of the named types, in bytes, by id.
struct Bounds {
    named: Vec<Option<usize>>,
}

impl Bounds {
    fn of(types: &Types<()>) -> Self {
        let mut bounds = Self {
            named: vec![None; types.len()],
        };
        for (id, _) in types.with_ids() {
            let mut open = Vec::new();
            bounds.named_bound(id, types, &mut open);
        }
        bounds
    }

    fn named_bound(&mut self, id: TypeId, types: &Types<()>, open: &mut Vec<TypeId>) -> usize {
        if let Some(bound) = self.named[id.index()] {
            return bound;
        }
        // A type that holds itself does so through a box or a list.
        if open.contains(&id) {
            return WORD;
        }
        open.push(id);
        let bound = match &types[id].kind {
            // `Unknown(String)` and a tag.
            TypeKind::Enum(_) => STRING + WORD,
            TypeKind::IntegerEnum(_) | TypeKind::NumberEnum(_) => 2 * WORD,
            // A type of the user's, whose size the generator cannot see:
            // as large as a `String` and a tag, which most such types are not.
            TypeKind::Replaced(_) => STRING + WORD,
            TypeKind::Newtype(shape) => self.shape_in(shape, types, open),
            TypeKind::Struct(object) => object
                .fields
                .iter()
                .map(|field| {
                    let held = if field.boxed {
                        WORD
                    } else {
                        self.shape_in(&field.shape, types, open)
                    };
                    // An optional field that is not nullable is an `Option`
                    // too; each field padded to a word.
                    let optional = usize::from(field.is_option()) * WORD;
                    round_up(held + optional)
                })
                .sum(),
            TypeKind::Union(variants) => {
                let largest = variants
                    .iter()
                    .map(|variant| self.shape_in(&variant.shape, types, open))
                    .max()
                    .unwrap_or(0);
                round_up(largest) + WORD
            }
        };
        open.pop();
        self.named[id.index()] = Some(bound);
        bound
    }

    /// The bound of a shape, once every named type is bounded.
    fn shape(&self, shape: &Shape) -> usize {
        let base = match &shape.ty {
            TypeRef::Named(id) => self.named[id.index()].unwrap_or(WORD),
            other => scalar_bound(other),
        };
        round_up(base) + usize::from(shape.nullable) * WORD
    }

    fn shape_in(&mut self, shape: &Shape, types: &Types<()>, open: &mut Vec<TypeId>) -> usize {
        let base = match &shape.ty {
            TypeRef::Named(id) => self.named_bound(*id, types, open),
            other => scalar_bound(other),
        };
        round_up(base) + usize::from(shape.nullable) * WORD
    }
}

const WORD: usize = 8;
/// A `String`, `Vec` or `BTreeMap`: three words.
const STRING: usize = 3 * WORD;

/// The bound of a value that is not a named type.
fn scalar_bound(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::String | TypeRef::Array(_) | TypeRef::Map(_) => STRING,
        // `Secret` holds a `String` and may add a word.
        TypeRef::Password => STRING + WORD,
        TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean | TypeRef::Date => WORD,
        TypeRef::DateTime | TypeRef::Uuid => 2 * WORD,
        // `serde_json::Value` and `Bytes`: four words.
        TypeRef::Any | TypeRef::Bytes => 4 * WORD,
        // `Bytes` and two optional strings.
        TypeRef::Binary => 4 * WORD + 2 * (STRING + WORD),
        TypeRef::Named(_) => WORD,
    }
}

fn round_up(bytes: usize) -> usize {
    bytes.div_ceil(WORD) * WORD
}
