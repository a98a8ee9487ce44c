//! Turning the auth service's JSON answer into a [`User`].

use serde_json::Value;

use crate::User;

/// Where in a JSON answer a value is: a top-level field name, or a JSON pointer (RFC 6901)
/// such as `/realm_access/roles`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field {
    Name(String),
    Pointer(String),
}

impl Field {
    /// A name, or a pointer when it starts with `/`.
    pub(crate) fn parse(spec: &str) -> Result<Self, String> {
        let spec = spec.trim();
        if spec.is_empty() {
            Err("a field name cannot be empty".to_owned())
        } else if spec.starts_with('/') {
            Ok(Self::Pointer(spec.to_owned()))
        } else {
            Ok(Self::Name(spec.to_owned()))
        }
    }

    fn find<'a>(&self, answer: &'a Value) -> Option<&'a Value> {
        match self {
            Self::Name(name) => answer.get(name),
            Self::Pointer(pointer) => answer.pointer(pointer),
        }
        .filter(|value| !value.is_null())
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Name(spec) | Self::Pointer(spec) => write!(f, "`{spec}`"),
        }
    }
}

/// Which fields of the answer hold the id and the roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdentityMapping {
    pub(crate) id: Field,
    pub(crate) roles: Vec<Field>,
}

impl Default for IdentityMapping {
    /// `id` from `id`; roles from `role` (one string) and `roles` (an array), combined.
    fn default() -> Self {
        Self {
            id: Field::Name("id".to_owned()),
            roles: vec![
                Field::Name("role".to_owned()),
                Field::Name("roles".to_owned()),
            ],
        }
    }
}

/// A user read from an answer, and the answer's own `exp`, if any.
pub(crate) struct Answer {
    pub(crate) user: User,
    pub(crate) exp: Option<Value>,
}

/// Why an auth-service answer is not a user. Logged when it happens during a request; the
/// caller only sees a 502.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidAnswer(String);

impl IdentityMapping {
    /// The user an auth-service answer describes. Anything unexpected is an error rather than
    /// a user with fewer roles or no id: a misconfigured mapping must not pass silently.
    pub(crate) fn user_from_answer(&self, body: &[u8]) -> Result<Answer, InvalidAnswer> {
        let answer = self
            .parse(body)
            .map_err(|error| InvalidAnswer(format!("the answer is not a JSON object: {error}")))?;
        let id = self.id(&answer)?;
        let roles = self.roles(&answer)?;
        // Skipped fields are checked for syntax only, not for UTF-8.
        let text = std::str::from_utf8(body)
            .map_err(|_| InvalidAnswer("the answer is not UTF-8".to_owned()))?
            .into();
        Ok(Answer {
            user: User::with_claims(id, roles, text),
            exp: answer.get("exp").cloned(),
        })
    }

    /// The answer as a JSON object: whole when a field is a JSON pointer; otherwise only its
    /// wanted top-level fields, since building values for the rest is most of the cost of
    /// reading an answer. Either way the whole body must be one valid JSON object.
    fn parse(&self, body: &[u8]) -> Result<Value, serde_json::Error> {
        let fields = std::iter::once(&self.id).chain(&self.roles);
        let names: Option<Vec<&str>> = fields
            .map(|field| match field {
                Field::Name(name) => Some(name.as_str()),
                Field::Pointer(_) => None,
            })
            .chain(std::iter::once(Some("exp")))
            .collect();
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let answer = match names {
            Some(names) => Value::Object(serde::Deserializer::deserialize_map(
                &mut deserializer,
                pick::Fields(&names),
            )?),
            None => serde::Deserialize::deserialize(&mut deserializer)?,
        };
        deserializer.end()?;
        if answer.is_object() {
            Ok(answer)
        } else {
            Err(serde::de::Error::custom("expected a JSON object"))
        }
    }

    fn id(&self, answer: &Value) -> Result<String, InvalidAnswer> {
        let field = &self.id;
        match field.find(answer) {
            Some(Value::String(id)) if !id.is_empty() => Ok(id.clone()),
            Some(Value::String(_)) => Err(InvalidAnswer(format!("the id {field} is empty"))),
            Some(Value::Number(id)) if id.is_i64() || id.is_u64() => Ok(id.to_string()),
            Some(other) => Err(InvalidAnswer(format!(
                "the id {field} is {}, not an integer or a string",
                kind(other)
            ))),
            None => Err(InvalidAnswer(format!("the answer has no id {field}"))),
        }
    }

    fn roles(&self, answer: &Value) -> Result<Vec<String>, InvalidAnswer> {
        let mut roles = Vec::new();
        for field in &self.roles {
            match field.find(answer) {
                None => {}
                Some(Value::String(role)) => roles.push(role.clone()),
                Some(Value::Array(items)) => {
                    for item in items {
                        let Value::String(role) = item else {
                            return Err(InvalidAnswer(format!(
                                "the roles {field} hold {}, not only strings",
                                kind(item)
                            )));
                        };
                        roles.push(role.clone());
                    }
                }
                Some(other) => {
                    return Err(InvalidAnswer(format!(
                        "the roles {field} are {}, not a string or an array of strings",
                        kind(other)
                    )));
                }
            }
        }
        roles.retain(|role| !role.is_empty());
        Ok(roles)
    }
}

/// Reading only some top-level fields of a JSON object, skipping the rest unbuilt.
mod pick {
    use std::fmt;

    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
    use serde_json::{Map, Value};

    /// The object's fields with these names (the last of duplicates, as `serde_json` does).
    pub(super) struct Fields<'a>(pub(super) &'a [&'a str]);

    impl<'de> Visitor<'de> for Fields<'_> {
        type Value = Map<String, Value>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut picked = Map::new();
            while let Some(wanted) = map.next_key_seed(Name(self.0))? {
                match wanted {
                    Some(name) => {
                        picked.insert(name.to_owned(), map.next_value()?);
                    }
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(picked)
        }
    }

    /// A key, as the wanted name it equals, if any.
    struct Name<'a>(&'a [&'a str]);

    impl<'de, 'a> DeserializeSeed<'de> for Name<'a> {
        type Value = Option<&'a str>;

        fn deserialize<D: serde::Deserializer<'de>>(self, key: D) -> Result<Self::Value, D::Error> {
            key.deserialize_str(self)
        }
    }

    impl<'a> Visitor<'_> for Name<'a> {
        type Value = Option<&'a str>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
            Ok(self.0.iter().copied().find(|name| *name == key))
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(answer: &str) -> Result<User, InvalidAnswer> {
        IdentityMapping::default()
            .user_from_answer(answer.as_bytes())
            .map(|answer| answer.user)
    }

    #[test]
    fn integer_and_string_ids_become_their_canonical_string() {
        assert_eq!(user(r#"{"id": 7}"#).unwrap().id(), "7");
        assert_eq!(user(r#"{"id": -7}"#).unwrap().id(), "-7");
        assert_eq!(
            user(r#"{"id": 18446744073709551615}"#).unwrap().id(),
            "18446744073709551615"
        );
        assert_eq!(user(r#"{"id": "u-42"}"#).unwrap().id(), "u-42");
    }

    #[test]
    fn ids_that_are_not_integers_or_strings_are_refused() {
        for answer in [
            r#"{"id": 7.0}"#,
            r#"{"id": 7.5}"#,
            r#"{"id": ""}"#,
            r#"{"id": null}"#,
            r#"{"id": true}"#,
            r#"{"id": [7]}"#,
            r#"{"name": "x"}"#,
            r#"[{"id": 7}]"#,
            "7",
            "not json",
            "",
        ] {
            assert!(user(answer).is_err(), "{answer}");
        }
    }

    #[test]
    fn roles_come_from_role_and_roles_together() {
        let user = user(r#"{"id": 1, "role": "admin", "roles": ["a", "b"]}"#).unwrap();
        assert_eq!(user.roles().collect::<Vec<_>>(), ["admin", "a", "b"]);
        assert_eq!(self::user(r#"{"id": 1}"#).unwrap().roles().len(), 0);
    }

    #[test]
    fn badly_typed_roles_are_refused_not_dropped() {
        assert!(user(r#"{"id": 1, "roles": "admin"}"#).is_ok());
        assert!(user(r#"{"id": 1, "roles": [1]}"#).is_err());
        assert!(user(r#"{"id": 1, "role": {"name": "admin"}}"#).is_err());
    }

    #[test]
    fn fields_can_be_renamed_or_pointed_at() {
        let mapping = IdentityMapping {
            id: Field::parse("sub").unwrap(),
            roles: vec![Field::parse("/realm_access/roles").unwrap()],
        };
        let user = mapping
            .user_from_answer(br#"{"sub": "abc", "realm_access": {"roles": ["admin"]}}"#)
            .unwrap()
            .user;
        assert_eq!(
            (user.id(), user.roles().collect::<Vec<_>>()),
            ("abc", vec!["admin"])
        );
        assert!(Field::parse(" ").is_err());
    }

    #[test]
    fn reading_only_some_fields_still_requires_one_valid_object() {
        for answer in [
            r#"{"id": 1, "other": [1, 2, {"deep": tru}]}"#,
            r#"{"id": 1} {"id": 2}"#,
            r#"{"id": 1, "id": }"#,
            r#"{"id": 1,}"#,
        ] {
            assert!(user(answer).is_err(), "{answer}");
        }
        let user = user(r#"{"other": {"id": 9}, "id": 1, "roles": ["a"], "id": 2}"#).unwrap();
        assert_eq!(
            user.id(),
            "2",
            "the last of duplicate keys, as serde_json reads them"
        );
        assert_eq!(self::user(r#"{"i\u0064": 3}"#).unwrap().id(), "3");
    }

    #[test]
    fn fields_that_are_not_read_need_only_be_valid_json() {
        // Found by fuzzing: a number too large for serde_json's values, in a field that is not
        // read, no longer refuses the answer; the claims keep it as written.
        let answer = r#"{"size": 2E666666666, "id": 7}"#;
        let user = user(answer).unwrap();
        assert_eq!((user.id(), user.claims_json()), ("7", answer));
        assert!(user.claims::<Value>().is_err());
        assert!(self::user("{\"name\": \"\u{e9}\", \"id\": 7}").is_ok());
        let invalid_utf8 = b"{\"name\": \"\xff\", \"id\": 7}";
        assert!(
            IdentityMapping::default()
                .user_from_answer(invalid_utf8)
                .is_err()
        );
    }

    #[test]
    fn the_whole_answer_stays_available() {
        let answer = r#"{"id": 1, "email": "a@example.com", "exp": 5}"#;
        let user = user(answer).unwrap();
        assert_eq!(user.claims_json(), answer);
        let claims: Value = user.claims().unwrap();
        assert_eq!(claims["email"], "a@example.com");
        let exp = IdentityMapping::default()
            .user_from_answer(answer.as_bytes())
            .unwrap()
            .exp;
        assert_eq!(exp, Some(Value::from(5)));
    }
}
