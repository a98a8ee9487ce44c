//! Any bytes as an auth service's answer, read with the default mapping (which reads only
//! the wanted fields), with JSON pointers (which read the whole answer), and as an
//! introspection answer with every kind of role source and check: never a panic, and a user
//! comes out only with a non-empty id, non-empty roles and scopes, claims that are exactly the
//! answer, and (for introspection) an answer that says `"active": true`.

#![no_main]

use std::sync::LazyLock;

use actix_authorize::{AuthService, ClientCredentials, RoleSource};
use libfuzzer_sys::fuzz_target;

static SERVICES: LazyLock<[AuthService; 3]> = LazyLock::new(|| {
    let url = "http://127.0.0.1:9/users/me";
    [
        AuthService::builder(url).build().expect("default mapping"),
        AuthService::builder(url)
            .id_field("/user/sub")
            .role_fields(["groups", "/realm_access/roles", "scope"])
            .build()
            .expect("pointer mapping"),
        AuthService::builder(url)
            .introspection(ClientCredentials::basic("fuzz", "secret"))
            .roles_from([
                RoleSource::field("roles"),
                RoleSource::space_separated("scope"),
                RoleSource::flag("is_superuser", "admin"),
            ])
            .expect_audience("api")
            .build()
            .expect("introspection"),
    ]
});

fuzz_target!(|answer: &[u8]| {
    for (index, service) in SERVICES.iter().enumerate() {
        let introspecting = index == 2;
        if let Ok(user) = service.user_from_answer(answer) {
            assert!(!user.id().is_empty());
            assert!(user.roles().all(|role| !role.is_empty()));
            assert!(user.scopes().all(|scope| !scope.is_empty()));
            assert_eq!(user.claims_json().as_bytes(), answer);
            // Where serde_json can hold the answer as a value, the claims are that value.
            if let Ok(value) = serde_json::from_slice::<serde_json::Value>(answer) {
                assert!(value.is_object());
                let claims: serde_json::Value = user.claims().expect("claims are the answer");
                assert_eq!(claims, value);
                if introspecting {
                    assert_eq!(value["active"], true);
                }
            }
        }
    }
});
