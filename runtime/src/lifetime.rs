//! How long an auth-service answer may be reused: never past the token's own expiry, nor past
//! what the answer's cache headers allow.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::http::header::{self, HeaderMap};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The shortest of the limits that apply, or `None` when none does.
pub(crate) fn shortest(limits: impl IntoIterator<Item = Option<Duration>>) -> Option<Duration> {
    limits.into_iter().flatten().min()
}

/// Time left before `exp` (seconds since the epoch), zero if it has passed or cannot be
/// read: an `exp` that is there but unreadable must not mean "no limit".
pub(crate) fn until_exp(exp: &serde_json::Value, now: SystemTime) -> Duration {
    let exp = exp
        .as_f64()
        .filter(|exp| exp.is_finite() && *exp >= 0.0)
        .map_or(Duration::ZERO, |exp| Duration::from_secs_f64(exp.min(1e12)));
    let now = now.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    exp.saturating_sub(now)
}

/// Time left before a JWT's `exp`, read without checking its signature: it can only shorten
/// how long an answer is reused, never make a token valid. `None` for a token that is not a
/// JWT or has no `exp`.
pub(crate) fn jwt_remaining(token: &str, now: SystemTime) -> Option<Duration> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let payload = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&payload).ok()?;
    Some(until_exp(claims.get("exp")?, now))
}

/// What `Cache-Control` (`no-store`, `no-cache`, `max-age` less `Age`) or, without it,
/// `Expires` allows. `None` when the answer says nothing.
pub(crate) fn from_headers(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let mut max_age = None;
    for value in headers.get_all(header::CACHE_CONTROL) {
        let Ok(value) = value.to_str() else {
            return Some(Duration::ZERO);
        };
        for directive in value.split(',').map(str::trim) {
            let (name, argument) = directive.split_once('=').unwrap_or((directive, ""));
            match name.trim().to_ascii_lowercase().as_str() {
                "no-store" | "no-cache" => return Some(Duration::ZERO),
                "max-age" | "s-maxage" => {
                    let seconds = argument.trim().trim_matches('"').parse::<u64>().ok();
                    // A malformed max-age means the answer must not be reused.
                    let seconds = seconds.unwrap_or(0);
                    max_age = shortest([max_age, Some(Duration::from_secs(seconds))]);
                }
                _ => {}
            }
        }
    }
    if let Some(max_age) = max_age {
        let age = headers
            .get(header::AGE)
            .and_then(|age| age.to_str().ok()?.trim().parse::<u64>().ok())
            .map_or(Duration::ZERO, Duration::from_secs);
        return Some(max_age.saturating_sub(age));
    }
    // Expires counts unless max-age overrides it (RFC 9111 section 5.3).
    let expires = headers.get(header::EXPIRES)?;
    // An Expires that cannot be read means "already expired" (RFC 9111 section 5.3).
    let Some(expires) = expires
        .to_str()
        .ok()
        .and_then(|value| httpdate::parse_http_date(value).ok())
    else {
        return Some(Duration::ZERO);
    };
    Some(expires.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::HeaderValue;

    use super::*;

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    fn jwt(payload: &str) -> String {
        format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(
                header::HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        headers
    }

    #[test]
    fn a_jwt_limits_reuse_to_its_exp() {
        assert_eq!(
            jwt_remaining(&jwt(r#"{"exp": 1800000010}"#), now()),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            jwt_remaining(&jwt(r#"{"exp": 1700000000}"#), now()),
            Some(Duration::ZERO)
        );
        assert_eq!(jwt_remaining(&jwt(r#"{"sub": "1"}"#), now()), None);
        assert_eq!(jwt_remaining("opaque-token", now()), None);
        assert_eq!(jwt_remaining("a.b.c.d", now()), None);
        assert_eq!(jwt_remaining("a.!!!.c", now()), None);
    }

    #[test]
    fn an_unreadable_exp_means_expired_and_fractions_count() {
        let value = |json: &str| serde_json::from_str::<serde_json::Value>(json).unwrap();
        for exp in ["-5", "\"soon\"", "null", "true"] {
            assert_eq!(until_exp(&value(exp), now()), Duration::ZERO, "{exp}");
        }
        let now = now() + Duration::from_millis(300);
        assert_eq!(
            until_exp(&value("1800000001"), now),
            Duration::from_millis(700)
        );
    }

    #[test]
    fn cache_headers_limit_reuse() {
        let secs = |s| Some(Duration::from_secs(s));
        assert_eq!(from_headers(&headers(&[]), now()), None);
        assert_eq!(
            from_headers(&headers(&[("cache-control", "private, max-age=60")]), now()),
            secs(60)
        );
        assert_eq!(
            from_headers(
                &headers(&[("cache-control", "max-age=60"), ("age", "15")]),
                now()
            ),
            secs(45)
        );
        assert_eq!(
            from_headers(
                &headers(&[("cache-control", "max-age=60, no-store")]),
                now()
            ),
            secs(0)
        );
        assert_eq!(
            from_headers(&headers(&[("cache-control", "no-cache")]), now()),
            secs(0)
        );
        assert_eq!(
            from_headers(&headers(&[("cache-control", "max-age=soon")]), now()),
            secs(0)
        );
        assert_eq!(
            from_headers(&headers(&[("cache-control", "private")]), now()),
            None
        );
        assert_eq!(
            from_headers(
                &headers(&[("cache-control", "private"), ("expires", "0")]),
                now()
            ),
            secs(0)
        );
        assert_eq!(
            from_headers(
                &headers(&[("expires", "Fri, 15 Jan 2027 08:00:20 GMT")]),
                now()
            ),
            secs(20)
        );
        assert_eq!(from_headers(&headers(&[("expires", "0")]), now()), secs(0));
        assert_eq!(
            from_headers(
                &headers(&[
                    ("cache-control", "max-age=5"),
                    ("expires", "Fri, 15 Jan 2027 08:00:20 GMT")
                ]),
                now()
            ),
            secs(5)
        );
    }

    #[test]
    fn the_shortest_limit_wins() {
        let secs = |s| Some(Duration::from_secs(s));
        assert_eq!(shortest([secs(30), None, secs(5)]), secs(5));
        assert_eq!(shortest([None, None]), None);
    }
}
