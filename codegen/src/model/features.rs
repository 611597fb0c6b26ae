//! Which optional parts of the runtime a crate's code uses, decided from
//! the model rather than from the emitted text, so that no rename in emit
//! can silently drop one.

use super::{Api, BodyEncoding, Shape, TypeKind, TypeRef};

/// The runtime features the crate needs, sorted: `chrono` for `date-time`
/// and `date` values, `uuid` for `uuid` ones, `patterns` for a `pattern`
/// the client checks (on a parameter, a request body, or any named type,
/// each of which validates itself), `multipart` for a
/// `multipart/form-data` request body.
pub fn runtime_features(api: &Api) -> Vec<&'static str> {
    let mut used = Used::default();
    for operation in &api.operations {
        for param in &operation.params {
            used.checked(&param.shape);
        }
        if let Some(body) = &operation.body {
            used.checked(&body.content.shape);
            used.multipart |= body.encoding == BodyEncoding::Multipart;
        }
        for content in operation.response_bodies() {
            used.unchecked(&content.shape);
        }
    }
    for def in &api.types {
        match &def.kind {
            TypeKind::Struct(object) => {
                for field in &object.fields {
                    used.checked(&field.shape);
                }
            }
            TypeKind::Union(variants) => {
                for variant in variants {
                    used.checked(&variant.shape);
                }
            }
            TypeKind::Newtype(shape) => used.checked(shape),
            TypeKind::Enum(_)
            | TypeKind::IntegerEnum(_)
            | TypeKind::NumberEnum(_)
            | TypeKind::Replaced(_) => {}
        }
    }
    [
        ("chrono", used.chrono),
        ("multipart", used.multipart),
        ("patterns", used.patterns),
        ("uuid", used.uuid),
    ]
    .into_iter()
    .filter_map(|(feature, needed)| needed.then_some(feature))
    .collect()
}

#[derive(Default)]
struct Used {
    chrono: bool,
    uuid: bool,
    patterns: bool,
    multipart: bool,
}

impl Used {
    /// A shape whose constraints the client checks.
    fn checked(&mut self, shape: &Shape) {
        self.patterns |= shape.constraints.pattern.is_some();
        self.types(shape, true);
    }

    /// A shape the client only decodes (a response body's own shape; the
    /// named types inside it are checked where they are defined).
    fn unchecked(&mut self, shape: &Shape) {
        self.types(shape, false);
    }

    fn types(&mut self, shape: &Shape, checked: bool) {
        match &shape.ty {
            TypeRef::DateTime | TypeRef::Date => self.chrono = true,
            TypeRef::Uuid => self.uuid = true,
            TypeRef::Array(inner) | TypeRef::Map(inner) => {
                if checked {
                    self.checked(inner);
                } else {
                    self.unchecked(inner);
                }
            }
            _ => {}
        }
    }
}
