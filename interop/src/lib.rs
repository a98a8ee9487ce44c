//! Nothing here: the tests in `tests/` are the crate (see `interop/run.sh`).
