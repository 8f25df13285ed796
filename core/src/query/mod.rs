//! The query language shared by every view: free text, `field:value`, comparisons on time,
//! `AND`/`OR`/`NOT` (or `-term`) and parentheses. Parsing gives an [`Expr`] (printable back to
//! the same query) or an error with its position; compiling against the model gives a
//! [`Filter`] that tests events and sessions with integer comparisons.

mod compile;
mod complete;
mod parse;

pub use compile::{
    column_of, localize_times, time_span, widened_time_range, with_local_offset, Column, Filter, FIELDS,
};
pub use complete::{complete_fields, complete_values, Completion};
pub use parse::{parse, rewrite_values, term_text, term_value, with_term, Expr, Op, ParseError, Term, MAX_DEPTH};
