//! Filters over the model (placeholder until the query module lands).
