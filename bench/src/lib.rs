//! The pieces of the load benchmark (`bench/load.sh`) and of the criterion benchmarks.

pub mod auth;
pub mod contenders;
pub mod memory;
