//! Any bytes as an auth service's answer, read with the default mapping (which reads only
//! the wanted fields) and with JSON pointers (which read the whole answer): never a panic, and
//! a user comes out only with a non-empty id and claims that are exactly the answer.

#![no_main]

use std::sync::LazyLock;

use actix_authorize::AuthService;
use libfuzzer_sys::fuzz_target;

static SERVICES: LazyLock<[AuthService; 2]> = LazyLock::new(|| {
    let url = "http://127.0.0.1:9/users/me";
    [
        AuthService::builder(url).build().expect("default mapping"),
        AuthService::builder(url)
            .id_field("/user/sub")
            .role_fields(["groups", "/realm_access/roles", "scope"])
            .build()
            .expect("pointer mapping"),
    ]
});

fuzz_target!(|answer: &[u8]| {
    for service in SERVICES.iter() {
        if let Ok(user) = service.user_from_answer(answer) {
            assert!(!user.id().is_empty());
            assert!(user.roles().all(|role| !role.is_empty()));
            assert_eq!(user.claims_json().as_bytes(), answer);
            // Where serde_json can hold the answer as a value, the claims are that value.
            if let Ok(value) = serde_json::from_slice::<serde_json::Value>(answer) {
                assert!(value.is_object());
                let claims: serde_json::Value = user.claims().expect("claims are the answer");
                assert_eq!(claims, value);
            }
        }
    }
});
