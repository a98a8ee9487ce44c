//! The caller, as the auth service describes them.

use std::fmt;
use std::sync::Arc;

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

struct UserData {
    id: String,
    roles: Vec<String>,
    claims: serde_json::Value,
}

impl User {
    /// A user with no other claims, as in tests of a handler that takes a user.
    pub fn new<R: Into<String>>(id: impl Into<String>, roles: impl IntoIterator<Item = R>) -> Self {
        Self::with_claims(
            id.into(),
            roles.into_iter().map(Into::into).collect(),
            serde_json::Value::Null,
        )
    }

    pub(crate) fn with_claims(id: String, roles: Vec<String>, claims: serde_json::Value) -> Self {
        Self(Arc::new(UserData { id, roles, claims }))
    }

    /// The caller's id in canonical form: an integer id as its decimal digits (`7`, never
    /// `07` or `+7`), a string id as it was given.
    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// The caller's roles, in the order the auth service gave them.
    pub fn roles(&self) -> &[String] {
        &self.0.roles
    }

    /// Whether the caller has `role`; roles compare exactly, case included.
    pub fn has_role(&self, role: &str) -> bool {
        self.0.roles.iter().any(|own| own == role)
    }

    /// Whether the caller has at least one of `roles`.
    pub fn has_any_role(&self, roles: &[&str]) -> bool {
        roles.iter().any(|role| self.has_role(role))
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
    pub fn claims<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.0.claims)
    }

    /// The auth service's whole answer as JSON (`null` for a user made with [`User::new`]).
    pub fn claims_json(&self) -> &serde_json::Value {
        &self.0.claims
    }
}

/// Shows the id and roles only: the claims may hold personal data.
impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.0.id)
            .field("roles", &self.0.roles)
            .finish_non_exhaustive()
    }
}
