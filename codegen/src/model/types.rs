//! The named types, held in one list that a [`TypeRef::Named`] refers to by
//! place ([`TypeId`]), typify's arena: a type is looked up, never searched
//! for by name, and a name is written in one place, its [`TypeDef`].
//!
//! Ids are given as the registry names types (components first, then each
//! inline or deep one as it is met); [`Types::sort_by_name`] puts them in
//! the order the crate lists them and renumbers the ids the types hold;
//! the [`Moves`] it returns renumber those held elsewhere (operations,
//! pages).

use super::{Operation, Paging, Shape, TypeDecisions, TypeDef, TypeKind, TypeRef};

/// A named type: its place in [`Types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(usize);

impl TypeId {
    /// The id of the type at `index`.
    pub(super) fn at(index: usize) -> Self {
        Self(index)
    }

    /// Its place in the list.
    pub fn index(self) -> usize {
        self.0
    }
}

/// The named types, each at the place its [`TypeId`] gives, with what was
/// decided about each (`D`: `()` while the model is built). Read as a
/// slice; changed only through ids, so that no id ever points elsewhere.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Types<D = TypeDecisions>(Vec<TypeDef<D>>);

impl<D> Types<D> {
    /// Types whose ids are their places in `defs`.
    pub(super) fn new(defs: Vec<TypeDef<D>>) -> Self {
        Self(defs)
    }

    /// Each type with its id.
    pub fn with_ids(&self) -> impl Iterator<Item = (TypeId, &TypeDef<D>)> + Clone {
        self.0.iter().enumerate().map(|(at, def)| (TypeId(at), def))
    }

    /// The types, to change what each is (not where).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, TypeDef<D>> {
        self.0.iter_mut()
    }

    /// The type `id` names, to change.
    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef<D> {
        &mut self.0[id.0]
    }

    /// The Rust name of the type `id` refers to.
    pub fn name(&self, id: TypeId) -> &str {
        &self[id].name
    }

    /// The fields of `id` when it is a struct.
    pub fn fields(&self, id: TypeId) -> Option<&[super::Field]> {
        match &self[id].kind {
            TypeKind::Struct(object) => Some(&object.fields),
            _ => None,
        }
    }

    /// Adds every named type a value of `shape` may hold, at any depth,
    /// to `reached`.
    pub fn reach(&self, shape: &Shape, reached: &mut std::collections::BTreeSet<TypeId>) {
        let mut pending = Vec::new();
        shape.named(&mut pending);
        while let Some(id) = pending.pop() {
            if reached.insert(id) {
                pending.extend(self[id].holds());
            }
        }
    }

    /// The alternatives of `id` when it is a union.
    pub fn variants(&self, id: TypeId) -> Option<&[super::Variant]> {
        match &self[id].kind {
            TypeKind::Union(variants) => Some(variants),
            _ => None,
        }
    }
}

impl Types<()> {
    /// Puts the types in name order and renumbers the ids they hold;
    /// returns where each went, for the ids held elsewhere.
    pub(super) fn sort_by_name(&mut self) -> Moves {
        let mut order: Vec<usize> = (0..self.0.len()).collect();
        order.sort_by(|a, b| self.0[*a].name.cmp(&self.0[*b].name));
        let mut moved_to = vec![0; order.len()];
        for (to, from) in order.iter().enumerate() {
            moved_to[*from] = to;
        }
        let mut defs: Vec<Option<TypeDef<()>>> =
            std::mem::take(&mut self.0).into_iter().map(Some).collect();
        self.0 = order.iter().filter_map(|from| defs[*from].take()).collect();
        let moves = Moves(moved_to);
        for def in &mut self.0 {
            def.shapes_mut(&mut |shape| moves.shape(shape));
        }
        moves
    }

    /// The types with what was decided about each, by id.
    pub(super) fn decided(self, mut decide: impl FnMut(TypeId) -> TypeDecisions) -> Types {
        let defs = self.0.into_iter().enumerate().map(|(at, def)| {
            let TypeDef {
                name,
                description,
                deprecated,
                pointer,
                kind,
                decided: (),
            } = def;
            TypeDef {
                name,
                description,
                deprecated,
                pointer,
                kind,
                decided: decide(TypeId(at)),
            }
        });
        Types(defs.collect())
    }
}

/// Where [`Types::sort_by_name`] moved each type.
pub(super) struct Moves(Vec<usize>);

impl Moves {
    /// Renumbers the ids `shape` holds.
    pub(super) fn shape(&self, shape: &mut Shape) {
        shape.ids_mut(&mut |id| id.0 = self.0[id.0]);
    }
}

impl<D> std::ops::Deref for Types<D> {
    type Target = [TypeDef<D>];

    fn deref(&self) -> &[TypeDef<D>] {
        &self.0
    }
}

impl<'a, D> IntoIterator for &'a Types<D> {
    type Item = &'a TypeDef<D>;
    type IntoIter = std::slice::Iter<'a, TypeDef<D>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<D> std::ops::Index<TypeId> for Types<D> {
    type Output = TypeDef<D>;

    fn index(&self, id: TypeId) -> &TypeDef<D> {
        &self.0[id.0]
    }
}

impl Shape {
    /// Calls `f` with every id it holds, at any depth of lists and maps.
    pub fn ids_mut(&mut self, f: &mut impl FnMut(&mut TypeId)) {
        match &mut self.ty {
            TypeRef::Named(id) => f(id),
            TypeRef::Array(items) | TypeRef::Map(items) => items.ids_mut(f),
            _ => {}
        }
    }
}

impl<D> TypeDef<D> {
    /// Calls `f` with every shape it is made of: fields, alternatives, a
    /// newtype's contents.
    pub fn shapes_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        match &mut self.kind {
            TypeKind::Struct(object) => object
                .fields
                .iter_mut()
                .for_each(|field| f(&mut field.shape)),
            TypeKind::Union(variants) => variants
                .iter_mut()
                .for_each(|variant| f(&mut variant.shape)),
            TypeKind::Newtype(shape) => f(shape),
            TypeKind::Enum(_)
            | TypeKind::IntegerEnum(_)
            | TypeKind::NumberEnum(_)
            | TypeKind::Replaced(_) => {}
        }
    }
}

impl Operation<()> {
    /// Calls `f` with every shape it holds: parameters, body and
    /// responses. Every field is named, so that one added that holds a
    /// shape is not missed (the compiler asks); of what is decided later,
    /// only its pages hold shapes ([`Paging::shapes_mut`]).
    pub fn shapes_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        let Operation {
            id: _,
            method: _,
            path: _,
            summary: _,
            description: _,
            deprecated: _,
            params,
            body,
            success,
            success_enum: _,
            errors,
            error_enum: _,
            accept: _,
            versions: _,
            tags: _,
            declared_paging: _,
            resumable: _,
            security: _,
            scopes: _,
            decided: (),
        } = self;
        params.iter_mut().for_each(|param| f(&mut param.shape));
        if let Some(body) = body {
            f(&mut body.content.shape);
        }
        for content in success
            .iter_mut()
            .filter_map(|success| success.body.as_mut())
            .chain(errors.iter_mut().filter_map(|error| error.body.as_mut()))
        {
            f(&mut content.shape);
        }
    }
}

impl Paging {
    /// Calls `f` with the page's shape and the item's.
    pub fn shapes_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        f(&mut self.page);
        f(&mut self.item);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Api, TypeKind, TypeRef};
    use crate::{Config, Settings};

    /// The model of a document whose types are named in another order
    /// than their names sort in: the component `Zebra` first, then the
    /// inline types of the operations, which sort before it.
    fn model() -> Api {
        let text = r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /animals:
    get:
      operationId: listAnimals
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/Zebra"}}
                  next_cursor: {type: string}
    post:
      operationId: addAnimal
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                best: {$ref: "#/components/schemas/Zebra"}
      responses:
        "204": {description: Done.}
components:
  schemas:
    Zebra:
      type: object
      properties:
        friend: {$ref: "#/components/schemas/Zebra"}
        herd:
          type: object
          properties:
            size: {type: integer}
"##;
        let mut loaded =
            crate::load::parse(std::path::Path::new("spec.yaml"), text.to_owned()).unwrap();
        crate::model_from(
            &mut loaded,
            &Config::new("t", "0.1.0"),
            &Settings::default(),
        )
        .unwrap()
    }

    fn field_type<'a>(api: &'a Api, owner: &str, field: &str) -> &'a str {
        let def = api.types.iter().find(|def| def.name == owner).unwrap();
        let TypeKind::Struct(object) = &def.kind else {
            panic!("`{owner}` is not a struct");
        };
        let shape = &object
            .fields
            .iter()
            .find(|f| f.name == field)
            .unwrap()
            .shape;
        let shape = match &shape.ty {
            TypeRef::Array(items) => items,
            _ => shape,
        };
        match shape.ty {
            TypeRef::Named(id) => api.types.name(id),
            _ => panic!("`{owner}.{field}` is not a named type"),
        }
    }

    #[test]
    fn the_types_are_in_name_order() {
        let api = model();
        let names: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert!(names.len() >= 4, "{names:?}");
    }

    #[test]
    fn every_id_still_names_the_type_it_was_given_for_after_the_sort() {
        let api = model();
        // In the types: a type that holds itself, one inline, one from an operation.
        assert_eq!(field_type(&api, "Zebra", "friend"), "Zebra");
        assert_eq!(field_type(&api, "Zebra", "herd"), "ZebraHerd");
        let body = api
            .operations
            .iter()
            .find(|operation| operation.id == "addAnimal")
            .and_then(|operation| operation.body.as_ref())
            .unwrap();
        let TypeRef::Named(body) = body.content.shape.ty else {
            panic!("the body is not a named type");
        };
        let body = api.types.name(body);
        assert_eq!(field_type(&api, body, "best"), "Zebra");
        // In the operations: a response, and the page and item a walk reads.
        let list = api
            .operations
            .iter()
            .find(|operation| operation.id == "listAnimals")
            .unwrap();
        let body = &list.success[0].body.as_ref().unwrap().shape;
        let TypeRef::Named(page) = body.ty else {
            panic!("the page is not a named type");
        };
        assert_eq!(field_type(&api, api.types.name(page), "items"), "Zebra");
        let paging = list
            .decided
            .paging
            .as_ref()
            .expect("a cursor the names make plain");
        assert_eq!(&paging.page, body);
        let TypeRef::Named(item) = paging.item.ty else {
            panic!("the item is not a named type");
        };
        assert_eq!(api.types.name(item), "Zebra");
    }
}
