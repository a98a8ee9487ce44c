//! Any bytes as an `Authorization` value: never a panic, and a token comes out only if it is
//! an RFC 6750 `b64token` within the length limit.

#![no_main]

use actix_authorize::{BearerToken, MAX_TOKEN_LEN};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|value: &[u8]| {
    if let Ok(Some(token)) = BearerToken::parse(value) {
        let token = token.as_str().as_bytes();
        let body = token.iter().rposition(|&byte| byte != b'=').map_or(0, |last| last + 1);
        assert!(body > 0 && token.len() <= MAX_TOKEN_LEN);
        assert!(token[..body].iter().all(|&byte| {
            byte.is_ascii_alphanumeric() || b"-._~+/".contains(&byte)
        }));
        assert!(value.ends_with(token));
        assert!(value[..6].eq_ignore_ascii_case(b"bearer"));
    }
});
