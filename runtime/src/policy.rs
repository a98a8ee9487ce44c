//! The rule `#[authorize(...)]` checks: every required scope, and then one of some roles or
//! the caller's own record.

use actix_web::HttpRequest;

use crate::identity::{Askers, identify, refuse};
use crate::{AuthError, User};

/// Scopes the token must all have; then roles any one of which lets a caller in, and
/// optionally the path parameter that lets the caller in when it equals their id. Built by the
/// expansion of `#[authorize]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    roles: &'static [&'static str],
    scopes: &'static [&'static str],
    same_id_param: Option<&'static str>,
}

impl Policy {
    /// Lets in callers with any of `roles`.
    pub const fn new(roles: &'static [&'static str]) -> Self {
        Self {
            roles,
            scopes: &[],
            same_id_param: None,
        }
    }

    /// Also requires every one of `scopes`, whatever the roles; with no roles and no
    /// `allow_same_id`, the scopes alone let a caller in.
    pub const fn scopes(self, scopes: &'static [&'static str]) -> Self {
        Self { scopes, ..self }
    }

    /// Also lets in callers whose id equals the path parameter `param`.
    pub const fn allow_same_id(self, param: &'static str) -> Self {
        Self {
            same_id_param: Some(param),
            ..self
        }
    }

    /// Authenticates the caller of `request` and checks them against this policy.
    pub async fn authorize(self, request: &HttpRequest) -> Result<User, actix_web::Error> {
        let Some(user) = identify(request, Askers::Alone).await? else {
            tracing::debug!(path = request.path(), "refused: no credentials");
            return Err(refuse(request, AuthError::MissingCredentials));
        };
        match self.decide(&user, request) {
            Ok(reason) => {
                tracing::debug!(
                    user = user.id(),
                    path = request.path(),
                    reason,
                    "authorized"
                );
                Ok(user)
            }
            Err(reason) => {
                tracing::info!(
                    user = user.id(),
                    path = request.path(),
                    roles = ?self.roles,
                    scopes = ?self.scopes,
                    reason,
                    "forbidden"
                );
                Err(refuse(request, AuthError::Forbidden))
            }
        }
    }

    /// Why `user` may go on, or why not.
    fn decide(&self, user: &User, request: &HttpRequest) -> Result<&'static str, &'static str> {
        if !user.has_all_scopes(self.scopes) {
            return Err("a required scope is missing");
        }
        if self.roles.is_empty() && self.same_id_param.is_none() {
            return if self.scopes.is_empty() {
                Err("the policy allows no one")
            } else {
                Ok("scopes")
            };
        }
        if user.has_any_role(self.roles) {
            return Ok("role");
        }
        let Some(param) = self.same_id_param else {
            return Err("no required role");
        };
        match request.match_info().get(param) {
            Some(value) if is_same_id(value, user.id()) => Ok("own id"),
            Some(_) => Err("no required role, and not the caller's own id"),
            None => {
                tracing::warn!(
                    param,
                    path = request.path(),
                    "allow_same_id names a path parameter this route does not have; denying"
                );
                Err("the route has no such path parameter")
            }
        }
    }
}

/// Whether a path segment names exactly the caller's id: the canonical form only, so `07`,
/// `+7`, ` 7` and `7.0` are not `7`.
///
/// A segment that spells an integer in a non-canonical way never matches, even a string id
/// spelled the same: `web::Path<i64>` would read `007` or `+7` as 7, another user's record.
/// And actix-web has already decoded the segment except for a few escapes (such as `%2F`)
/// that `web::Path` decodes later; a segment that still holds `%` could therefore reach the
/// handler as another value, so it never matches either.
pub(crate) fn is_same_id(path_value: &str, user_id: &str) -> bool {
    path_value == user_id && !path_value.contains('%') && !is_non_canonical_integer(path_value)
}

/// `+7`, `007`, `-07`, `-0`: an integer that parses but is not written as its canonical form.
fn is_non_canonical_integer(value: &str) -> bool {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    !digits.is_empty()
        && digits.bytes().all(|byte| byte.is_ascii_digit())
        && (value.starts_with('+')
            || digits.starts_with('0') && (digits.len() > 1 || value.starts_with('-')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_id_that_spells_an_integer_oddly_never_matches() {
        for id in ["007", "+7", "-07", "-0", "00"] {
            assert!(!is_same_id(id, id), "{id}");
        }
        for id in ["0", "-7", "10", "0x7", "7a", "alice", "\u{0667}"] {
            assert!(is_same_id(id, id), "{id}");
        }
    }

    #[test]
    fn only_the_canonical_id_is_the_same_id() {
        assert!(is_same_id("7", "7"));
        assert!(is_same_id("u-42", "u-42"));
        for other in [
            "07", "+7", " 7", "7 ", "7.0", "8", "", "\u{0667}", "%37", "77",
        ] {
            assert!(!is_same_id(other, "7"), "{other:?}");
        }
        assert!(!is_same_id("a%2Fb", "a%2Fb"));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// `id` written with the Unicode digits that start at `zero` (Arabic-Indic, full-width).
    fn other_digits(id: i64, zero: u32) -> String {
        id.to_string()
            .chars()
            .map(|c| {
                c.to_digit(10)
                    .and_then(|d| char::from_u32(zero + d))
                    .unwrap_or(c)
            })
            .collect()
    }

    /// Ways of writing a number that are not its canonical form.
    fn variant_of(id: i64) -> impl Strategy<Value = String> {
        let digits = id.unsigned_abs().to_string();
        let sign = if id < 0 { "-" } else { "" };
        prop_oneof![
            (1usize..4).prop_map(move |zeros| format!("{sign}{}{digits}", "0".repeat(zeros))),
            Just(format!("+{id}")),
            Just(format!(" {id}")),
            Just(format!("{id} ")),
            Just(format!("{id}\t")),
            Just(format!("{id}.0")),
            Just(format!("{id}%00")),
            Just(format!("%3{}", &id.to_string())),
            Just(other_digits(id, 0x0660)),
            Just(other_digits(id, 0xFF10)),
            Just(format!("{id}{}", "0".repeat(5000))),
        ]
    }

    proptest! {
        #[test]
        fn only_the_exact_id_is_the_same_id(id in any::<i64>(), path in "\\PC{0,40}") {
            prop_assert_eq!(is_same_id(&path, &id.to_string()), path == id.to_string());
        }

        #[test]
        fn a_match_never_reads_as_another_integer(value in "[+-]?[0-9]{1,25}") {
            // What `web::Path<i64>` would see must be the value itself, written canonically.
            if is_same_id(&value, &value)
                && let Ok(parsed) = value.parse::<i64>()
            {
                prop_assert_eq!(parsed.to_string(), value);
            }
        }

        #[test]
        fn no_other_spelling_of_an_id_matches(
            (id, variant) in any::<i64>().prop_flat_map(|id| (Just(id), variant_of(id)))
        ) {
            prop_assume!(variant != id.to_string());
            prop_assert!(!is_same_id(&variant, &id.to_string()));
        }
    }
}

#[cfg(test)]
mod future_size {
    /// Every handler behind `#[authorize]` carries this future, and actix-web moves it into a
    /// box: the cold paths (the shared cache, the call) are boxed so that it stays small.
    #[test]
    fn the_decision_future_stays_small() {
        let request = actix_web::test::TestRequest::default().to_http_request();
        let future = super::Policy::new(&["admin"]).authorize(&request);
        let size = std::mem::size_of_val(&future);
        assert!(size <= 512, "{size} bytes");
    }
}
