//! Where the ingest stages put what they read: straight into the [`Model`], or into a
//! [`super::journal::Journal`] that another thread (a second web worker) applies to the model.

use crate::audit::ParsedEvent;
use crate::model::{FileInfo, Model, RecordingPart};
use crate::problem::{FileId, Problem};

pub(crate) trait Sink {
    fn file(&self, id: FileId) -> &FileInfo;
    fn file_mut(&mut self, id: FileId) -> &mut FileInfo;
    fn add_file(&mut self, info: FileInfo) -> FileId;
    /// Problems of `file` listed so far (the per-file limit counts them).
    fn problems_listed(&self, file: FileId) -> usize;
    fn add_problem(&mut self, problem: Problem);
    /// Line `line` of `file`, read as `event`; `at`: where its bytes are in the file, when the
    /// host can read them back from there.
    fn add_event(&mut self, file: FileId, line: u64, bytes: &[u8], at: Option<u64>, event: &ParsedEvent<'_>);
    fn add_recording_part(&mut self, part: RecordingPart);
}

impl Sink for Model {
    fn file(&self, id: FileId) -> &FileInfo {
        Model::file(self, id)
    }

    fn file_mut(&mut self, id: FileId) -> &mut FileInfo {
        Model::file_mut(self, id)
    }

    fn add_file(&mut self, info: FileInfo) -> FileId {
        Model::add_file(self, info)
    }

    fn problems_listed(&self, file: FileId) -> usize {
        self.problems_listed_of(file)
    }

    fn add_problem(&mut self, problem: Problem) {
        self.add_listed_problem(problem);
    }

    fn add_event(&mut self, file: FileId, line: u64, bytes: &[u8], at: Option<u64>, event: &ParsedEvent<'_>) {
        Model::add_event(self, file, line, bytes, at, event);
    }

    fn add_recording_part(&mut self, part: RecordingPart) {
        Model::add_recording_part(self, part);
    }
}
