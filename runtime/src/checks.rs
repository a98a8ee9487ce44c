//! What must hold of an answer besides naming a user: the token is active, unexpired, and
//! meant for this service.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::User;
use crate::mapping::{AnswerFields, IdentityMapping, InvalidAnswer};

/// The checks an answer must pass; all optional but `active`, which introspection requires.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AnswerChecks {
    /// RFC 7662: the answer must say `"active": true`.
    pub(crate) require_active: bool,
    /// `aud` (a string or an array) must hold this.
    pub(crate) audience: Option<String>,
    /// `iss` must be exactly this.
    pub(crate) issuer: Option<String>,
    /// `client_id` must be one of these.
    pub(crate) client_ids: Option<Vec<String>>,
}

/// An answer read with a mapping and checked.
pub(crate) enum Reading<'a> {
    /// The user the answer names, and the fields read from it.
    User(User, AnswerFields<'a>),
    /// The answer refuses the token; why, for the log.
    Refused(&'static str),
}

/// Reads `body` with `mapping` and checks it at `now`; the user is read only from an answer
/// that passes, since an inactive token's answer names nobody. The one way answers are read,
/// for calls and for [`AuthService::user_from_answer`](crate::AuthService::user_from_answer).
pub(crate) fn read_checked<'a>(
    mapping: &'a IdentityMapping,
    checks: &AnswerChecks,
    body: &[u8],
    now: SystemTime,
) -> Result<Reading<'a>, InvalidAnswer> {
    let fields = mapping.read(body)?;
    Ok(match checks.check(&fields, now)? {
        Verdict::Valid => Reading::User(mapping.user(&fields, body)?, fields),
        Verdict::Rejected(reason) => Reading::Refused(reason),
    })
}

/// What a check concluded about an answer that names a user.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The token may be used here.
    Valid,
    /// The token is not valid here; why, for the log.
    Rejected(&'static str),
}

impl AnswerChecks {
    /// Checks the answer's fields. A field of the wrong type is the auth service's fault, not
    /// the caller's, so it is an [`InvalidAnswer`] rather than a rejection.
    pub(crate) fn check(
        &self,
        fields: &AnswerFields<'_>,
        now: SystemTime,
    ) -> Result<Verdict, InvalidAnswer> {
        if self.require_active {
            match fields.get("active") {
                Some(Value::Bool(true)) => {}
                Some(Value::Bool(false)) => return Ok(Verdict::Rejected("the token is inactive")),
                Some(_) => return Err(wrong_type("active", "a boolean")),
                None => return Err(InvalidAnswer("the answer has no `active` field".to_owned())),
            }
        }
        // RFC 7662 servers look the token up among every kind they issue, whatever the hint:
        // a refresh token must not pass for an access token.
        match fields.get("token_type") {
            None | Some(Value::Null) => {}
            Some(Value::String(kind)) if is_access_token_type(kind) => {}
            Some(Value::String(_)) => return Ok(Verdict::Rejected("not an access token")),
            Some(_) => return Err(wrong_type("token_type", "a string")),
        }
        // A sender-constrained token (DPoP, mutual TLS) is only valid with a proof of
        // possession, which a bearer request does not carry.
        if fields.get("cnf").is_some_and(|cnf| !cnf.is_null()) {
            return Ok(Verdict::Rejected("the token is bound to a key (cnf)"));
        }
        let now = now
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        if let Some(exp) = seconds(fields, "exp")?
            && exp <= now
        {
            return Ok(Verdict::Rejected("the token has expired"));
        }
        if let Some(nbf) = seconds(fields, "nbf")?
            && nbf > now
        {
            return Ok(Verdict::Rejected("the token is not valid yet"));
        }
        if let Some(issuer) = &self.issuer {
            match fields.get("iss") {
                Some(Value::String(iss)) if iss == issuer => {}
                Some(Value::String(_)) => return Ok(Verdict::Rejected("another issuer")),
                Some(_) => return Err(wrong_type("iss", "a string")),
                None => return Ok(Verdict::Rejected("no issuer, and one is required")),
            }
        }
        if let Some(audience) = &self.audience {
            let audiences: Vec<&str> = match fields.get("aud") {
                None => return Ok(Verdict::Rejected("no audience, and one is required")),
                Some(Value::String(aud)) => vec![aud],
                Some(Value::Array(items)) => items
                    .iter()
                    .map(Value::as_str)
                    .collect::<Option<_>>()
                    .ok_or_else(|| wrong_type("aud", "a string or an array of strings"))?,
                Some(_) => return Err(wrong_type("aud", "a string or an array of strings")),
            };
            if !audiences.contains(&audience.as_str()) {
                return Ok(Verdict::Rejected("another audience"));
            }
        }
        if let Some(client_ids) = &self.client_ids {
            match fields.get("client_id") {
                Some(Value::String(id)) if client_ids.contains(id) => {}
                Some(Value::String(_)) => return Ok(Verdict::Rejected("issued to another client")),
                Some(_) => return Err(wrong_type("client_id", "a string")),
                None => return Ok(Verdict::Rejected("no client_id, and one is required")),
            }
        }
        Ok(Verdict::Valid)
    }
}

/// A time in seconds since the epoch, as RFC 7662 and JWT write them.
fn seconds(fields: &AnswerFields<'_>, name: &str) -> Result<Option<f64>, InvalidAnswer> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => match number.as_f64() {
            Some(seconds) if seconds.is_finite() => Ok(Some(seconds)),
            _ => Err(wrong_type(name, "a number of seconds")),
        },
        Some(_) => Err(wrong_type(name, "a number of seconds")),
    }
}

/// `Bearer` (RFC 6750, as introspection answers name access tokens) or `access_token` (as
/// some servers echo the hint).
fn is_access_token_type(kind: &str) -> bool {
    kind.eq_ignore_ascii_case("bearer") || kind.eq_ignore_ascii_case("access_token")
}

fn wrong_type(field: &str, expected: &str) -> InvalidAnswer {
    InvalidAnswer(format!("`{field}` is not {expected}"))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    const NOW: u64 = 1_800_000_000;

    fn check(checks: &AnswerChecks, fields: Value) -> Result<Verdict, InvalidAnswer> {
        checks.check(&fields.into(), UNIX_EPOCH + Duration::from_secs(NOW))
    }

    fn introspection() -> AnswerChecks {
        AnswerChecks {
            require_active: true,
            ..AnswerChecks::default()
        }
    }

    #[test]
    fn introspection_needs_active_true() {
        let checks = introspection();
        assert_eq!(
            check(&checks, json!({"active": true})).unwrap(),
            Verdict::Valid
        );
        assert!(matches!(
            check(&checks, json!({"active": false})).unwrap(),
            Verdict::Rejected(_)
        ));
        assert!(check(&checks, json!({"active": "true"})).is_err());
        assert!(check(&checks, json!({"sub": "1"})).is_err());
        assert_eq!(
            check(&AnswerChecks::default(), json!({})).unwrap(),
            Verdict::Valid
        );
    }

    #[test]
    fn times_are_honoured() {
        let checks = AnswerChecks::default();
        let valid = |fields| check(&checks, fields).unwrap() == Verdict::Valid;
        assert!(valid(json!({"exp": NOW + 1})));
        assert!(!valid(json!({"exp": NOW})));
        assert!(!valid(json!({"exp": NOW - 1})));
        assert!(valid(json!({"nbf": NOW})));
        assert!(!valid(json!({"nbf": NOW + 60})));
        assert!(check(&checks, json!({"exp": "tomorrow"})).is_err());
        assert!(check(&checks, json!({"nbf": [1]})).is_err());
    }

    #[test]
    fn only_unbound_access_tokens_pass() {
        let checks = introspection();
        let verdict = |extra: Value| {
            let mut fields = json!({"active": true});
            fields
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            check(&checks, fields)
        };
        for valid in [
            json!({"token_type": "Bearer"}),
            json!({"token_type": "bearer"}),
            json!({"token_type": "access_token"}),
            json!({"token_type": null, "cnf": null}),
        ] {
            assert_eq!(verdict(valid.clone()).unwrap(), Verdict::Valid, "{valid}");
        }
        for rejected in [
            json!({"token_type": "refresh_token"}),
            json!({"token_type": "DPoP"}),
            json!({"cnf": {"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}),
        ] {
            assert!(
                matches!(verdict(rejected.clone()).unwrap(), Verdict::Rejected(_)),
                "{rejected}"
            );
        }
        assert!(verdict(json!({"token_type": 1})).is_err());
    }

    #[test]
    fn odd_times_are_read_strictly() {
        let checks = AnswerChecks::default();
        let verdict = |fields| check(&checks, fields);
        let rejected = |fields| matches!(verdict(fields).unwrap(), Verdict::Rejected(_));
        let now = NOW as f64;
        assert_eq!(verdict(json!({"exp": now + 0.5})).unwrap(), Verdict::Valid);
        assert!(rejected(json!({"exp": now - 0.5})));
        assert!(rejected(json!({"exp": -1})));
        assert!(rejected(json!({"exp": 0})));
        assert_eq!(verdict(json!({"exp": 1e300})).unwrap(), Verdict::Valid);
        assert_eq!(verdict(json!({"exp": u64::MAX})).unwrap(), Verdict::Valid);
        assert!(rejected(json!({"nbf": 1e300})));
        assert!(verdict(json!({"exp": "1800000100"})).is_err());
        assert!(verdict(json!({"exp": true})).is_err());
    }

    #[test]
    fn audience_issuer_and_client_must_match_when_required() {
        let checks = AnswerChecks {
            require_active: true,
            audience: Some("api".to_owned()),
            issuer: Some("http://127.0.0.1:3000".to_owned()),
            client_ids: Some(vec!["web".to_owned(), "cli".to_owned()]),
        };
        let good = json!({"active": true, "aud": ["other", "api"], "iss": "http://127.0.0.1:3000", "client_id": "cli"});
        assert_eq!(check(&checks, good.clone()).unwrap(), Verdict::Valid);
        for (field, value) in [
            ("aud", json!("other")),
            ("aud", json!(["other"])),
            ("iss", json!("http://127.0.0.1:3001")),
            ("client_id", json!("mobile")),
        ] {
            let mut fields = good.clone();
            fields[field] = value;
            assert!(
                matches!(check(&checks, fields).unwrap(), Verdict::Rejected(_)),
                "{field}"
            );
        }
        for field in ["aud", "iss", "client_id"] {
            let mut fields = good.clone();
            fields.as_object_mut().unwrap().remove(field);
            assert!(
                matches!(
                    check(&checks, fields.clone()).unwrap(),
                    Verdict::Rejected(_)
                ),
                "{field}"
            );
            fields[field] = json!(7);
            assert!(check(&checks, fields).is_err(), "{field}");
        }
    }
}
