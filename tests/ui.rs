//! Compile-time behaviour of `#[authorize]`: every accepted form builds, every mistake is an
//! error at the offending token. Regenerate the expected errors with
//! `TRYBUILD=overwrite cargo test -p actix-authorize-tests --test ui` and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
