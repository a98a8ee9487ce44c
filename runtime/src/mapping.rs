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

    /// The value, `null` counting as absent.
    fn find<'a>(&self, answer: &'a AnswerFields<'_>) -> Option<&'a Value> {
        self.find_even_null(answer).filter(|value| !value.is_null())
    }

    fn find_even_null<'a>(&self, answer: &'a AnswerFields<'_>) -> Option<&'a Value> {
        match self {
            Self::Name(name) => answer.get(name),
            Self::Pointer(pointer) => answer.pointer(pointer),
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Name(spec) | Self::Pointer(spec) => write!(f, "`{spec}`"),
        }
    }
}

/// Where an answer holds roles.
///
/// Several sources can be combined (see [`AuthServiceBuilder::roles_from`]); a caller has
/// every role any of them gives. Written as text (in `AUTH_SERVICE_ROLE_FIELDS`, or parsed with
/// `str::parse`) a source is `roles` or `/realm_access/roles` for a field,
/// `space_separated:scope` for a space-separated field, and `flag:is_superuser=admin` for a
/// flag.
///
/// [`AuthServiceBuilder::roles_from`]: crate::AuthServiceBuilder::roles_from
///
/// ```
/// use actix_authorize::RoleSource;
///
/// let sources: Vec<RoleSource> = ["groups", "space_separated:scope", "flag:is_superuser=admin"]
///     .into_iter()
///     .map(str::parse)
///     .collect::<Result<_, _>>()?;
/// assert_eq!(sources[2], RoleSource::flag("is_superuser", "admin"));
/// # Ok::<(), actix_authorize::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSource(Source);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Field(String),
    SpaceSeparated(String),
    Flag { field: String, role: String },
}

impl RoleSource {
    /// A field (a name, or a JSON pointer such as `/resource_access/api/roles`) holding one
    /// role as a string, or several as an array of strings.
    pub fn field(field: impl Into<String>) -> Self {
        Self(Source::Field(field.into()))
    }

    /// A field holding roles as one space-separated string, as OAuth2's `scope` does.
    pub fn space_separated(field: impl Into<String>) -> Self {
        Self(Source::SpaceSeparated(field.into()))
    }

    /// A boolean field that gives `role` when it is `true`, such as a superuser flag.
    pub fn flag(field: impl Into<String>, role: impl Into<String>) -> Self {
        Self(Source::Flag {
            field: field.into(),
            role: role.into(),
        })
    }

    pub(crate) fn compile(&self) -> Result<RoleRule, crate::ConfigError> {
        let invalid = |spec: &str, reason: String| crate::ConfigError::InvalidValue {
            setting: "role source",
            value: spec.to_owned(),
            reason,
        };
        let field = |spec: &str| Field::parse(spec).map_err(|reason| invalid(spec, reason));
        Ok(match &self.0 {
            Source::Field(spec) => RoleRule::Field(field(spec)?),
            Source::SpaceSeparated(spec) => RoleRule::SpaceSeparated(field(spec)?),
            Source::Flag { field: spec, role } => {
                if role.trim().is_empty() || role.trim() != role {
                    return Err(invalid(
                        role,
                        "a flag's role cannot be empty or start or end with whitespace".to_owned(),
                    ));
                }
                RoleRule::Flag(field(spec)?, role.clone())
            }
        })
    }
}

impl std::str::FromStr for RoleSource {
    type Err = crate::ConfigError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let spec = spec.trim();
        if let Some(field) = spec.strip_prefix("space_separated:") {
            return Ok(Self::space_separated(field));
        }
        let Some(flag) = spec.strip_prefix("flag:") else {
            return Ok(Self::field(spec));
        };
        match flag.split_once('=') {
            Some((field, role)) => Ok(Self::flag(field, role)),
            None => Err(crate::ConfigError::InvalidValue {
                setting: "role source",
                value: spec.to_owned(),
                reason: "a flag is written `flag:<field>=<role>`, as in `flag:is_superuser=admin`"
                    .to_owned(),
            }),
        }
    }
}

/// A role source, checked and ready to read answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RoleRule {
    Field(Field),
    SpaceSeparated(Field),
    Flag(Field, String),
}

impl RoleRule {
    fn field(&self) -> &Field {
        match self {
            Self::Field(field) | Self::SpaceSeparated(field) | Self::Flag(field, _) => field,
        }
    }
}

/// Which fields of the answer hold the id, the roles and the scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdentityMapping {
    /// The id is the first of these that the answer has.
    id: Vec<Field>,
    roles: Vec<RoleRule>,
    scopes: Field,
    /// The top-level fields read from an answer, or `None` to read it whole.
    wanted: Option<pick::Wanted>,
}

/// Fields read from every answer besides the mapped ones: what the checks in
/// `checks.rs` and the cache's lifetime need.
pub(crate) const CHECKED_FIELDS: [&str; 8] = [
    "exp",
    "active",
    "aud",
    "iss",
    "client_id",
    "nbf",
    "token_type",
    "cnf",
];

impl Default for IdentityMapping {
    /// The id from `id`, else `sub`, else `username`; roles from `role` and `roles`, combined;
    /// scopes from `scope`.
    fn default() -> Self {
        let name = |name: &str| Field::Name(name.to_owned());
        Self::new(
            vec![name("id"), name("sub"), name("username")],
            vec![
                RoleRule::Field(name("role")),
                RoleRule::Field(name("roles")),
            ],
            name("scope"),
        )
    }
}

/// The fields of an answer that the mapping and the checks read.
#[derive(Debug)]
pub(crate) struct AnswerFields<'a>(Read<'a>);

#[derive(Debug)]
enum Read<'a> {
    /// The wanted top-level fields, each at its name's position in `Wanted`: no key is
    /// copied, and finding one compares only names of its length.
    Picked(&'a pick::Wanted, Vec<Option<Value>>),
    /// The whole answer, as a mapping with a JSON pointer reads it.
    Whole(Value),
}

impl AnswerFields<'_> {
    /// The top-level field `name`, if the answer has it and it was read.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        match &self.0 {
            Read::Picked(wanted, values) => {
                // A name that was not read would look absent: a check added without adding
                // its field to CHECKED_FIELDS would then pass silently.
                debug_assert!(wanted.position(name).is_some(), "`{name}` is not read");
                values.get(wanted.position(name)?)?.as_ref()
            }
            Read::Whole(answer) => answer.get(name),
        }
    }

    fn pointer(&self, pointer: &str) -> Option<&Value> {
        match &self.0 {
            Read::Whole(answer) => answer.pointer(pointer),
            // Never reached: a mapping with a pointer reads answers whole.
            Read::Picked(..) => None,
        }
    }
}

impl From<Value> for AnswerFields<'static> {
    /// A whole answer, already parsed.
    fn from(answer: Value) -> Self {
        Self(Read::Whole(answer))
    }
}

/// Why an auth-service answer is not a user. Logged when it happens during a request; the
/// caller only sees a 502.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidAnswer(pub(crate) String);

impl IdentityMapping {
    pub(crate) fn new(id: Vec<Field>, roles: Vec<RoleRule>, scopes: Field) -> Self {
        let fields = id.iter().chain(roles.iter().map(RoleRule::field));
        let names: Option<Vec<String>> = fields
            .chain([&scopes])
            .map(|field| match field {
                Field::Name(name) => Some(name.clone()),
                Field::Pointer(_) => None,
            })
            .chain(CHECKED_FIELDS.map(|name| Some(name.to_owned())))
            .collect();
        let wanted = names.map(pick::Wanted::new);
        Self {
            id,
            roles,
            scopes,
            wanted,
        }
    }

    /// The user an auth-service answer describes. Anything unexpected is an error rather than
    /// a user with fewer roles or no id: a misconfigured mapping must not pass silently.
    #[cfg(test)]
    pub(crate) fn user_from_answer(&self, body: &[u8]) -> Result<User, InvalidAnswer> {
        self.user(&self.read(body)?, body)
    }

    /// The fields of an answer that the mapping and the checks read.
    pub(crate) fn read(&self, body: &[u8]) -> Result<AnswerFields<'_>, InvalidAnswer> {
        self.parse(body)
            .map_err(|error| InvalidAnswer(format!("the answer is not a JSON object: {error}")))
    }

    /// The user in an answer's `fields` (from [`read`](Self::read)); `body` is kept as the
    /// user's claims.
    pub(crate) fn user(
        &self,
        fields: &AnswerFields<'_>,
        body: &[u8],
    ) -> Result<User, InvalidAnswer> {
        let id = self.id(fields)?;
        let mut roles = Vec::new();
        for rule in &self.roles {
            read_roles(rule, fields, &mut roles)?;
        }
        let mut scopes = Vec::new();
        read_space_separated(&self.scopes, fields, &mut scopes)?;
        // Skipped fields are checked for syntax only, not for UTF-8.
        let text = std::str::from_utf8(body)
            .map_err(|_| InvalidAnswer("the answer is not UTF-8".to_owned()))?
            .into();
        Ok(User::with_claims(id, &roles, &scopes, text))
    }

    /// The answer's fields: whole when a field is a JSON pointer; otherwise only its wanted
    /// top-level fields, since building values for the rest is most of the cost of reading
    /// an answer. Either way the whole body must be one valid JSON object.
    fn parse(&self, body: &[u8]) -> Result<AnswerFields<'_>, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let fields = match &self.wanted {
            Some(wanted) => Read::Picked(
                wanted,
                serde::Deserializer::deserialize_map(&mut deserializer, pick::Picker(wanted))?,
            ),
            None => {
                let answer: Value = serde::Deserialize::deserialize(&mut deserializer)?;
                if !answer.is_object() {
                    return Err(serde::de::Error::custom("expected a JSON object"));
                }
                Read::Whole(answer)
            }
        };
        deserializer.end()?;
        Ok(AnswerFields(fields))
    }

    fn id(&self, answer: &AnswerFields<'_>) -> Result<String, InvalidAnswer> {
        let Some((field, value)) = self
            .id
            .iter()
            // A field that is there but null is an error, not a reason to read the next one:
            // the next may name users in another way.
            .find_map(|field| Some((field, field.find_even_null(answer)?)))
        else {
            let looked_for: Vec<String> = self.id.iter().map(ToString::to_string).collect();
            return Err(InvalidAnswer(format!(
                "the answer has no id (looked for {})",
                looked_for.join(", ")
            )));
        };
        match value {
            Value::String(id) if !id.is_empty() => Ok(id.clone()),
            Value::String(_) => Err(InvalidAnswer(format!("the id {field} is empty"))),
            Value::Number(id) if id.is_i64() || id.is_u64() => Ok(id.to_string()),
            other => Err(InvalidAnswer(format!(
                "the id {field} is {}, not an integer or a string",
                kind(other)
            ))),
        }
    }
}

fn read_roles<'a>(
    rule: &'a RoleRule,
    answer: &'a AnswerFields<'_>,
    roles: &mut Vec<&'a str>,
) -> Result<(), InvalidAnswer> {
    match rule {
        RoleRule::SpaceSeparated(field) => read_space_separated(field, answer, roles),
        RoleRule::Flag(field, role) => match field.find(answer) {
            None | Some(Value::Bool(false)) => Ok(()),
            Some(Value::Bool(true)) => {
                roles.push(role);
                Ok(())
            }
            Some(other) => Err(InvalidAnswer(format!(
                "the flag {field} is {}, not a boolean",
                kind(other)
            ))),
        },
        RoleRule::Field(field) => match field.find(answer) {
            None => Ok(()),
            Some(Value::String(role)) => {
                if !role.is_empty() {
                    roles.push(role);
                }
                Ok(())
            }
            Some(Value::Array(items)) => strings(field, items, roles),
            Some(other) => Err(InvalidAnswer(format!(
                "the roles {field} are {}, not a string or an array of strings",
                kind(other)
            ))),
        },
    }
}

/// Space-separated words (as in OAuth2's `scope`), or an array of strings.
fn read_space_separated<'a>(
    field: &Field,
    answer: &'a AnswerFields<'_>,
    words: &mut Vec<&'a str>,
) -> Result<(), InvalidAnswer> {
    match field.find(answer) {
        None => Ok(()),
        Some(Value::String(text)) => {
            words.extend(text.split_ascii_whitespace());
            Ok(())
        }
        Some(Value::Array(items)) => strings(field, items, words),
        Some(other) => Err(InvalidAnswer(format!(
            "{field} is {}, not a string or an array of strings",
            kind(other)
        ))),
    }
}

fn strings<'a>(
    field: &Field,
    items: &'a [Value],
    into: &mut Vec<&'a str>,
) -> Result<(), InvalidAnswer> {
    for item in items {
        let Value::String(text) = item else {
            return Err(InvalidAnswer(format!(
                "{field} holds {}, not only strings",
                kind(item)
            )));
        };
        if !text.is_empty() {
            into.push(text);
        }
    }
    Ok(())
}

/// Reading only some top-level fields of a JSON object, skipping the rest unbuilt.
mod pick {
    use std::fmt;

    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
    use serde_json::Value;

    /// The names of the fields to read, each once, and which lengths they have, so that most
    /// other keys are passed over without a comparison.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) struct Wanted {
        names: Vec<String>,
        /// Bit `n` is set when a name is `n` bytes long; bit 63 stands for 63 or more.
        lengths: u64,
    }

    impl Wanted {
        pub(super) fn new(mut names: Vec<String>) -> Self {
            let mut seen = std::collections::HashSet::new();
            names.retain(|name| seen.insert(name.clone()));
            let lengths = names.iter().fold(0, |bits, name| bits | length_bit(name));
            Self { names, lengths }
        }

        /// Where `key` is among the names, if it is one.
        pub(super) fn position(&self, key: &str) -> Option<usize> {
            if self.lengths & length_bit(key) == 0 {
                return None;
            }
            self.names.iter().position(|name| name == key)
        }
    }

    fn length_bit(name: &str) -> u64 {
        1 << name.len().min(63)
    }

    /// Reads an object's fields with the wanted names into their names' positions (the last
    /// of duplicates, as `serde_json` does).
    pub(super) struct Picker<'a>(pub(super) &'a Wanted);

    impl<'de> Visitor<'de> for Picker<'_> {
        type Value = Vec<Option<Value>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut picked = vec![None; self.0.names.len()];
            while let Some(wanted) = map.next_key_seed(Name(self.0))? {
                match wanted {
                    Some(position) => picked[position] = Some(map.next_value()?),
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(picked)
        }
    }

    /// A key, as the position of the wanted name it equals, if any.
    struct Name<'a>(&'a Wanted);

    impl<'de> DeserializeSeed<'de> for Name<'_> {
        type Value = Option<usize>;

        fn deserialize<D: serde::Deserializer<'de>>(self, key: D) -> Result<Self::Value, D::Error> {
            key.deserialize_str(self)
        }
    }

    impl Visitor<'_> for Name<'_> {
        type Value = Option<usize>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
            Ok(self.0.position(key))
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
        IdentityMapping::default().user_from_answer(answer.as_bytes())
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
        let mapping = IdentityMapping::new(
            vec![Field::parse("sub").unwrap()],
            vec![RoleRule::Field(
                Field::parse("/realm_access/roles").unwrap(),
            )],
            Field::parse("scope").unwrap(),
        );
        let user = mapping
            .user_from_answer(br#"{"sub": "abc", "realm_access": {"roles": ["admin"]}}"#)
            .unwrap();
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
        let mapping = IdentityMapping::default();
        let fields = mapping.read(answer.as_bytes()).unwrap();
        assert_eq!(fields.get("exp"), Some(&Value::from(5)));
    }

    #[test]
    fn the_id_is_the_first_of_id_sub_and_username() {
        assert_eq!(user(r#"{"sub": "s", "id": 1}"#).unwrap().id(), "1");
        assert_eq!(user(r#"{"username": "u", "sub": "s"}"#).unwrap().id(), "s");
        let null = user(r#"{"username": "42", "id": null}"#).unwrap_err();
        assert_eq!(
            null.to_string(),
            "the id `id` is null, not an integer or a string"
        );
        let missing = user(r#"{"active": true, "name": "x"}"#).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "the answer has no id (looked for `id`, `sub`, `username`)"
        );
        assert!(
            user(r#"{"id": 1.5, "sub": "s"}"#).is_err(),
            "a bad id does not fall through"
        );
    }

    fn rules(specs: &[&str]) -> Vec<RoleRule> {
        specs
            .iter()
            .map(|spec| spec.parse::<RoleSource>().unwrap().compile().unwrap())
            .collect()
    }

    #[test]
    fn roles_combine_fields_words_and_flags() {
        let mapping = IdentityMapping::new(
            vec![Field::parse("sub").unwrap()],
            rules(&[
                "groups",
                "space_separated:perms",
                "flag:is_superuser=admin",
                "flag:is_staff=staff",
            ]),
            Field::parse("scp").unwrap(),
        );
        let user = mapping
            .user_from_answer(
                br#"{"sub": "1", "groups": ["a"], "perms": " b  c ", "is_superuser": true,
                     "is_staff": false, "scp": ["read", "write"]}"#,
            )
            .unwrap();
        assert_eq!(user.roles().collect::<Vec<_>>(), ["a", "b", "c", "admin"]);
        assert_eq!(user.scopes().collect::<Vec<_>>(), ["read", "write"]);
        for bad in [
            r#"{"sub": "1", "is_superuser": "true"}"#,
            r#"{"sub": "1", "is_staff": 1}"#,
            r#"{"sub": "1", "perms": {"a": 1}}"#,
            r#"{"sub": "1", "scp": [1]}"#,
        ] {
            assert!(mapping.user_from_answer(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn long_field_names_are_found_among_long_keys() {
        let long = "x".repeat(70);
        let mapping = IdentityMapping::new(
            vec![Field::parse(&long).unwrap()],
            Vec::new(),
            Field::parse("scope").unwrap(),
        );
        let answer = format!(
            r#"{{"{}": 1, "{long}": 2, "{}": 3}}"#,
            "x".repeat(80),
            "x".repeat(63)
        );
        let user = mapping.user_from_answer(answer.as_bytes()).unwrap();
        assert_eq!(user.id(), "2");
    }

    #[test]
    fn one_field_can_feed_the_id_the_roles_the_scopes_and_the_checks() {
        // django-oauth-toolkit's introspection: roles and scopes both from `scope`.
        let mapping = IdentityMapping::new(
            vec![Field::parse("exp").unwrap(), Field::parse("sub").unwrap()],
            rules(&["space_separated:scope", "scope"]),
            Field::parse("scope").unwrap(),
        );
        let user = mapping
            .user_from_answer(br#"{"scope": "read admin", "exp": 42, "sub": "s"}"#)
            .unwrap();
        assert_eq!(user.id(), "42");
        assert_eq!(
            user.roles().collect::<Vec<_>>(),
            ["read", "admin", "read admin"]
        );
        assert_eq!(user.scopes().collect::<Vec<_>>(), ["read", "admin"]);
        let fields = mapping.read(br#"{"exp": 1, "exp": 2}"#).unwrap();
        assert_eq!(
            fields.get("exp"),
            Some(&Value::from(2)),
            "the last duplicate"
        );
        assert_eq!(fields.get("sub"), None);
    }

    #[test]
    fn scopes_are_the_words_of_scope_by_default() {
        let user = user(r#"{"sub": "1", "scope": "openid read\twrite"}"#).unwrap();
        assert_eq!(
            user.scopes().collect::<Vec<_>>(),
            ["openid", "read", "write"]
        );
        assert!(user.has_all_scopes(&["read", "write"]));
        assert_eq!(self::user(r#"{"sub": "1"}"#).unwrap().scopes().len(), 0);
    }
}
