//! Paged table views (placeholder).
