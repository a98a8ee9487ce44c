//! Reading `Authorization: Bearer <token>` (RFC 6750 section 2.1, RFC 9110 section 11).

use std::fmt;

use actix_web::http::header::{AUTHORIZATION, HeaderMap};

use crate::AuthError;

/// The longest token accepted, in bytes; a longer one is refused as a malformed header before
/// it reaches the auth service.
pub const MAX_TOKEN_LEN: usize = 8 * 1024;

/// A bearer token taken from a request. `Debug` never shows it, and it has no `Display`, so it
/// cannot end up in a log line or an error body by accident.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BearerToken(String);

impl BearerToken {
    /// Parses the value of an `Authorization` header.
    ///
    /// `Ok(None)` means the caller sent no bearer credentials (another scheme, such as `Basic`).
    /// The scheme is matched case-insensitively, one or more spaces separate it from the token,
    /// and the token must be a `b64token`: letters, digits, `-._~+/`, then any `=` padding.
    ///
    /// ```
    /// use actix_authorize::BearerToken;
    ///
    /// let token = BearerToken::parse(b"bearer abc.DEF-123").unwrap().unwrap();
    /// assert_eq!(token.as_str(), "abc.DEF-123");
    /// assert!(BearerToken::parse(b"Basic dXNlcg==").unwrap().is_none());
    /// assert!(BearerToken::parse(b"Bearer two words").is_err());
    /// ```
    pub fn parse(value: &[u8]) -> Result<Option<Self>, AuthError> {
        Ok(parse_credentials(value)?.map(|token| Self(token.to_owned())))
    }

    /// Reads the bearer token of a request's headers; more than one `Authorization` header is
    /// ambiguous and refused.
    pub fn from_headers(headers: &HeaderMap) -> Result<Option<Self>, AuthError> {
        Ok(credentials(headers)?.map(|token| Self(token.to_owned())))
    }

    /// The token itself, to forward to the service that issued it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

/// The bearer token of a request's headers, borrowed from them.
pub(crate) fn credentials(headers: &HeaderMap) -> Result<Option<&str>, AuthError> {
    let mut values = headers.get_all(AUTHORIZATION);
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(AuthError::MalformedHeader(
            "more than one Authorization header",
        ));
    }
    parse_credentials(value.as_bytes())
}

/// The token of a bearer `Authorization` value, borrowed from it.
pub(crate) fn parse_credentials(value: &[u8]) -> Result<Option<&str>, AuthError> {
    const SCHEME: &[u8] = b"bearer";
    let (scheme, rest) = match value.iter().position(|&byte| byte == b' ') {
        Some(space) => value.split_at(space),
        None => (value, &[][..]),
    };
    if !scheme.eq_ignore_ascii_case(SCHEME) {
        return Ok(None);
    }
    let token = trim_leading_spaces(rest);
    if token.is_empty() {
        return Err(AuthError::MalformedHeader("the bearer token is empty"));
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(AuthError::MalformedHeader("the bearer token is too long"));
    }
    if !is_b64token(token) {
        return Err(AuthError::MalformedHeader(
            "the bearer token has characters a token cannot have",
        ));
    }
    // Every byte is ASCII, as `is_b64token` checked.
    std::str::from_utf8(token)
        .map(Some)
        .map_err(|_| AuthError::MalformedHeader("the bearer token is not ASCII"))
}

fn trim_leading_spaces(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&byte| byte != b' ')
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`
fn is_b64token(token: &[u8]) -> bool {
    let body_len = token.len() - token.iter().rev().take_while(|&&byte| byte == b'=').count();
    // A fold rather than `all`: without the early exit the compiler checks many bytes per
    // instruction, and a 1 KB token is checked on every request.
    body_len > 0
        && token[..body_len]
            .iter()
            .fold(true, |valid, &byte| valid & is_b64token_byte(byte))
}

fn is_b64token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() | matches!(byte, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(value: &str) -> Result<Option<&str>, AuthError> {
        parse_credentials(value.as_bytes())
    }

    #[test]
    fn accepts_any_case_of_the_scheme_and_several_spaces() {
        for value in ["Bearer abc", "bearer abc", "BEARER abc", "bEaReR   abc"] {
            assert_eq!(token(value), Ok(Some("abc")), "{value}");
        }
    }

    #[test]
    fn accepts_every_b64token_character_and_padding() {
        let all = "AZaz09-._~+/==";
        assert_eq!(token(&format!("Bearer {all}")), Ok(Some(all)));
    }

    #[test]
    fn other_schemes_and_no_scheme_are_no_credentials() {
        for value in [
            "Basic dXNlcjpwYXNz",
            "Token abc",
            "",
            "Bearerabc",
            "Bearer-x abc",
        ] {
            assert_eq!(token(value), Ok(None), "{value:?}");
        }
    }

    #[test]
    fn bearer_without_a_good_token_is_malformed() {
        for value in [
            "Bearer",
            "Bearer ",
            "Bearer    ",
            "Bearer a b",
            "Bearer abc ",
            "Bearer ===",
            "Bearer a=b",
            "Bearer a\tb",
            "Bearer \tabc",
            "Bearer a,b",
            "Bearer \"abc\"",
            "Bearer a\r\nX-Injected: 1",
            "Bearer ab\u{e9}",
        ] {
            assert!(
                matches!(token(value), Err(AuthError::MalformedHeader(_))),
                "{value:?}"
            );
        }
    }

    #[test]
    fn a_token_at_the_limit_passes_and_one_byte_more_does_not() {
        let longest = "a".repeat(MAX_TOKEN_LEN);
        assert!(token(&format!("Bearer {longest}")).unwrap().is_some());
        assert_eq!(
            token(&format!("Bearer {longest}a")),
            Err(AuthError::MalformedHeader("the bearer token is too long"))
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        let token = BearerToken::parse(b"Bearer s3cret").unwrap().unwrap();
        assert_eq!(format!("{token:?}"), "BearerToken(<redacted>)");
    }

    #[test]
    fn two_authorization_headers_are_malformed() {
        let mut headers = HeaderMap::new();
        headers.append(AUTHORIZATION, "Bearer a".parse().unwrap());
        headers.append(AUTHORIZATION, "Bearer b".parse().unwrap());
        assert!(matches!(
            BearerToken::from_headers(&headers),
            Err(AuthError::MalformedHeader(_))
        ));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_bytes_parse_without_panic_and_only_b64tokens_pass(
            value in proptest::collection::vec(any::<u8>(), 0..400)
        ) {
            if let Ok(Some(token)) = parse_credentials(&value) {
                prop_assert!(is_b64token(token.as_bytes()));
                prop_assert!(token.len() <= MAX_TOKEN_LEN);
                prop_assert!(value.ends_with(token.as_bytes()));
                prop_assert!(value[..6].eq_ignore_ascii_case(b"bearer"));
            }
        }

        #[test]
        fn a_bearer_header_passes_only_with_a_b64token(
            rest in proptest::collection::vec(any::<u8>(), 0..200)
        ) {
            let value = [b"Bearer ".as_slice(), &rest].concat();
            let trimmed = trim_leading_spaces(&rest);
            match parse_credentials(&value) {
                Ok(Some(token)) => {
                    prop_assert!(is_b64token(token.as_bytes()));
                    prop_assert_eq!(token.as_bytes(), trimmed);
                }
                Ok(None) => prop_assert!(false, "a bearer header read as no credentials"),
                Err(_) => prop_assert!(trimmed.is_empty() || !is_b64token(trimmed)),
            }
        }

        #[test]
        fn bearer_headers_with_any_scheme_case_and_spacing_give_their_token(
            scheme in "[bB][eE][aA][rR][eE][rR]",
            spaces in 1usize..6,
            token in "[A-Za-z0-9._~+/-]{1,200}={0,3}",
        ) {
            let value = format!("{scheme}{}{token}", " ".repeat(spaces));
            prop_assert_eq!(parse_credentials(value.as_bytes()), Ok(Some(token.as_str())));
        }

        #[test]
        fn a_token_with_any_byte_outside_b64token_is_refused(
            prefix in "[A-Za-z0-9]{0,20}",
            bad in any::<u8>().prop_filter("outside b64token", |byte| {
                !byte.is_ascii_alphanumeric() && !b"-._~+/= ".contains(byte)
            }),
            suffix in "[A-Za-z0-9]{0,20}",
        ) {
            let mut value = format!("Bearer {prefix}").into_bytes();
            value.push(bad);
            value.extend_from_slice(suffix.as_bytes());
            prop_assert!(matches!(parse_credentials(&value), Err(AuthError::MalformedHeader(_))));
        }
    }
}
