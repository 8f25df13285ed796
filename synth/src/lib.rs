//! Writes Teleport files of every generation from the format reference.
