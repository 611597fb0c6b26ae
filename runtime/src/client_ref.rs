//! How a request builder holds its client: borrowed while it is built and
//! sent, shared once a walk over pages must own what it needs.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A generated client, borrowed or shared. A builder borrows it
/// (`client.list_pets()` costs no clone); `pages()` and `stream()` turn
/// it into a shared one, so that the walk they return is `'static`: it can
/// be returned, stored or spawned.
pub enum ClientRef<'a, C> {
    /// Borrowed from the caller.
    Borrowed(&'a C),
    /// A clone the walk owns.
    Shared(Arc<C>),
}

impl<'a, C: Clone> ClientRef<'a, C> {
    /// The same client, owned: a clone of a borrowed one (clients are
    /// cheap to clone: clones share the connection pool and credentials).
    pub fn into_shared(self) -> ClientRef<'static, C> {
        match self {
            ClientRef::Borrowed(client) => ClientRef::Shared(Arc::new(client.clone())),
            ClientRef::Shared(client) => ClientRef::Shared(client),
        }
    }
}

impl<C> Deref for ClientRef<'_, C> {
    type Target = C;

    fn deref(&self) -> &C {
        match self {
            ClientRef::Borrowed(client) => client,
            ClientRef::Shared(client) => client,
        }
    }
}

impl<C> Clone for ClientRef<'_, C> {
    fn clone(&self) -> Self {
        match self {
            ClientRef::Borrowed(client) => ClientRef::Borrowed(client),
            ClientRef::Shared(client) => ClientRef::Shared(Arc::clone(client)),
        }
    }
}

impl<C: fmt::Debug> fmt::Debug for ClientRef<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
