//! The caller, as the auth service describes them.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::de::DeserializeOwned;

/// An authenticated caller: an id, roles, and the auth service's whole answer.
///
/// Cloning is cheap (the data is shared), so a `User` can be taken from request extensions
/// with `web::ReqData<User>` as well as through [`CurrentUser`](crate::CurrentUser).
///
/// ```
/// use actix_authorize::User;
///
/// let user = User::new("7", ["editor"]);
/// assert_eq!(user.id(), "7");
/// assert!(user.has_role("editor"));
/// assert!(!user.has_any_role(&["admin", "support"]));
/// ```
#[derive(Clone)]
pub struct User(Arc<UserData>);

// Compact on purpose: the cache holds up to 100 000 of these. The answer is kept as its JSON
// text and parsed when asked for; a parsed `serde_json::Value` would take several times the
// memory.
struct UserData {
    id: Box<str>,
    roles: Box<[Name]>,
    scopes: Box<[Name]>,
    claims: Box<str>,
}

/// A role or scope name, shared between users (see [`SharedNames`]).
type Name = Arc<str>;

/// The same name for every user who has it. Services have few distinct roles and scopes and
/// many users, so sharing them saves memory in the cache; past `MAX_INTERNED` distinct names
/// (an auth service that puts per-user values in roles) new names are simply not shared.
///
/// Hashed with foldhash rather than SipHash, since a miss would otherwise spend more on
/// hashing names than on reading the rest of the answer. Names are what the auth service
/// granted (a client may ask for scopes, but only granted ones reach here), and foldhash's
/// per-process seed and the cap bound what a flood of odd names could do.
struct SharedNames(MutexGuard<'static, Option<foldhash::HashSet<Name>>>);

impl SharedNames {
    /// Takes the lock once for all of a user's names.
    fn lock() -> Self {
        static NAMES: Mutex<Option<foldhash::HashSet<Name>>> = Mutex::new(None);
        Self(NAMES.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn share<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> Box<[Name]> {
        const MAX_INTERNED: usize = 4096;
        let interned = self.0.get_or_insert_with(foldhash::HashSet::default);
        names
            .into_iter()
            .map(|name| {
                if let Some(shared) = interned.get(name) {
                    return Arc::clone(shared);
                }
                let name: Name = name.into();
                if interned.len() < MAX_INTERNED {
                    interned.insert(Arc::clone(&name));
                }
                name
            })
            .collect()
    }
}

impl User {
    /// A user with no other claims, as in tests of a handler that takes a user.
    pub fn new<R: Into<String>>(id: impl Into<String>, roles: impl IntoIterator<Item = R>) -> Self {
        let roles: Vec<String> = roles.into_iter().map(Into::into).collect();
        let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
        Self::with_claims(id.into(), &roles, &[], "null".into())
    }

    /// The same user with these OAuth2 scopes (granted to the token rather than the person),
    /// as in tests of a handler that checks them.
    ///
    /// ```
    /// # use actix_authorize::User;
    /// let user = User::new("7", ["editor"]).with_scopes(["read", "write"]);
    /// assert!(user.has_all_scopes(&["read", "write"]));
    /// assert!(!user.has_all_scopes(&["read", "admin"]));
    /// ```
    #[must_use]
    pub fn with_scopes<S: Into<String>>(&self, scopes: impl IntoIterator<Item = S>) -> Self {
        let scopes: Vec<String> = scopes.into_iter().map(Into::into).collect();
        Self(Arc::new(UserData {
            id: self.0.id.clone(),
            roles: self.0.roles.clone(),
            scopes: SharedNames::lock().share(scopes.iter().map(String::as_str)),
            claims: self.0.claims.clone(),
        }))
    }

    /// `claims` must be the JSON text of the auth service's answer.
    pub(crate) fn with_claims(
        id: String,
        roles: &[&str],
        scopes: &[&str],
        claims: Box<str>,
    ) -> Self {
        let mut names = SharedNames::lock();
        let roles = names.share(roles.iter().copied());
        let scopes = names.share(scopes.iter().copied());
        drop(names);
        Self(Arc::new(UserData {
            id: id.into_boxed_str(),
            roles,
            scopes,
            claims,
        }))
    }

    /// The caller's id in canonical form: an integer id as its decimal digits (`7`, never
    /// `07` or `+7`), a string id as it was given.
    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// The caller's roles, in the order the auth service gave them.
    ///
    /// ```
    /// # use actix_authorize::User;
    /// let user = User::new("7", ["editor", "reader"]);
    /// assert_eq!(user.roles().collect::<Vec<_>>(), ["editor", "reader"]);
    /// ```
    pub fn roles(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.roles.iter().map(|role| &**role)
    }

    /// Whether the caller has `role`; roles compare exactly, case included.
    pub fn has_role(&self, role: &str) -> bool {
        self.0.roles.iter().any(|own| **own == *role)
    }

    /// Whether the caller has at least one of `roles`.
    pub fn has_any_role(&self, roles: &[&str]) -> bool {
        roles.iter().any(|role| self.has_role(role))
    }

    /// The OAuth2 scopes the token was granted (the answer's `scope` by default, see
    /// [`AuthServiceBuilder::scope_field`](crate::AuthServiceBuilder::scope_field)).
    pub fn scopes(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.scopes.iter().map(|scope| &**scope)
    }

    /// Whether the token was granted `scope`; scopes compare exactly, case included.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.0.scopes.iter().any(|own| **own == *scope)
    }

    /// Whether the token was granted every one of `scopes`.
    pub fn has_all_scopes(&self, scopes: &[&str]) -> bool {
        scopes.iter().all(|scope| self.has_scope(scope))
    }

    /// The auth service's whole answer, deserialized into a type of yours.
    ///
    /// ```
    /// # use actix_authorize::User;
    /// #[derive(serde::Deserialize)]
    /// struct Profile {
    ///     email: String,
    /// }
    /// # fn show(user: &User) -> Result<(), serde_json::Error> {
    /// let profile: Profile = user.claims()?;
    /// println!("{}", profile.email);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// `user.claims::<serde_json::Value>()` gives the answer as a JSON value.
    pub fn claims<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.0.claims)
    }

    /// The auth service's whole answer as JSON text (`null` for a user made with
    /// [`User::new`]).
    pub fn claims_json(&self) -> &str {
        &self.0.claims
    }
}

/// Shows the id and roles only: the claims may hold personal data.
impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.0.id)
            .field("roles", &self.0.roles)
            .field("scopes", &self.0.scopes)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_share_their_role_and_scope_names_and_keep_their_order() {
        let first = User::with_claims("1".into(), &["editor", "reader"], &["read"], "{}".into());
        let second = User::with_claims("2".into(), &["reader"], &["read", "editor"], "{}".into());
        assert!(Arc::ptr_eq(&first.0.roles[1], &second.0.roles[0]));
        assert!(Arc::ptr_eq(&first.0.scopes[0], &second.0.scopes[0]));
        assert!(Arc::ptr_eq(&first.0.roles[0], &second.0.scopes[1]));
        assert_eq!(second.scopes().collect::<Vec<_>>(), ["read", "editor"]);
        let scoped = first.with_scopes(["write", "read"]);
        assert!(Arc::ptr_eq(&scoped.0.scopes[1], &first.0.scopes[0]));
    }
}
