//! Any bytes as an auth service's answer, read with the default mapping and with JSON
//! pointers: never a panic, and a user comes out only with a non-empty id and claims that are
//! the JSON it came from.

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
            let claims: serde_json::Value = user.claims().expect("claims are the answer's JSON");
            assert!(claims.is_object());
        }
    }
});
