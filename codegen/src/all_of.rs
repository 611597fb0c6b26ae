//! The one rule for merging the properties of `allOf`, which the model (to
//! build a struct) and the spec diff (to describe it) both follow, so that
//! the diff never describes a property the crate does not have.
//!
//! A schema's properties are laid down first, then each member's (itself
//! merged by this rule), in the order the members are listed: a property
//! of a later layer replaces one of the same name from an earlier layer and
//! takes the later place. A property is required when the schema or any
//! member lists it in `required`.

/// Lays `layer` over `merged` by the rule above; `name` reads a property's
/// name.
pub fn overlay<T>(
    merged: &mut Vec<T>,
    layer: impl IntoIterator<Item = T>,
    name: impl Fn(&T) -> &str,
) {
    for property in layer {
        merged.retain(|existing| name(existing) != name(&property));
        merged.push(property);
    }
}

#[cfg(test)]
mod tests {
    use super::overlay;

    #[test]
    fn later_layers_replace_earlier_ones_and_take_their_place() {
        let mut merged = vec![("id", "own"), ("name", "own")];
        overlay(&mut merged, [("name", "first"), ("kind", "first")], |p| p.0);
        overlay(&mut merged, [("id", "second")], |p| p.0);
        assert_eq!(
            merged,
            [("name", "first"), ("kind", "first"), ("id", "second")]
        );
    }
}
