//! Pure domain code: no browser types. Builds and is tested natively.

pub mod holding;
pub mod import;
pub mod number;
pub mod symbol;
pub mod taxonomy;
