//! Push-driven tar splitting: headers are decoded by the `tar` crate's [`tar::Header`]; the
//! framing (512-byte blocks, padding, GNU long names, pax paths) is followed here because the
//! crate's `Archive` pulls from a reader and cannot be resumed between the worker's slices.

use tar::{Header, PaxExtensions};

const BLOCK: usize = 512;
/// Long names and pax headers are metadata; anything bigger is not a real archive.
const MAX_META: u64 = 1 << 20;

/// What the splitter found in the bytes pushed so far.
#[derive(Debug, PartialEq, Eq)]
pub enum TarEvent<'a> {
    /// A regular file starts.
    Entry { path: String, size: u64 },
    /// Bytes of the current regular file.
    Data(&'a [u8]),
    /// The current regular file is complete (or cut short; then an error follows).
    End,
}

enum State {
    Header,
    Body {
        remaining: u64,
        pad: usize,
        body: Body,
    },
    Padding(usize),
    /// The end-of-archive marker was seen; what follows is ignored.
    Done,
    Failed,
}

enum Body {
    File,
    LongName(Vec<u8>),
    Pax(Vec<u8>),
    Skip,
}

pub struct TarSplitter {
    state: State,
    block: [u8; BLOCK],
    filled: usize,
    /// Offset in the archive of the next byte pushed.
    position: u64,
    next_path: Option<String>,
    current: Option<(String, u64)>,
}

impl Default for TarSplitter {
    fn default() -> Self {
        TarSplitter { state: State::Header, block: [0; BLOCK], filled: 0, position: 0, next_path: None, current: None }
    }
}

impl TarSplitter {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, mut input: &[u8], emit: &mut impl FnMut(TarEvent<'_>)) -> Result<(), String> {
        while !input.is_empty() {
            match &mut self.state {
                State::Done | State::Failed => return Ok(()),
                State::Header => {
                    let take = (BLOCK - self.filled).min(input.len());
                    self.block[self.filled..self.filled + take].copy_from_slice(&input[..take]);
                    self.filled += take;
                    input = &input[take..];
                    self.position += take as u64;
                    if self.filled == BLOCK {
                        self.filled = 0;
                        self.header(emit)?;
                    }
                }
                State::Body { remaining, pad, body } => {
                    let take = (*remaining).min(input.len() as u64) as usize;
                    let (data, rest) = input.split_at(take);
                    match body {
                        Body::File => emit(TarEvent::Data(data)),
                        Body::LongName(buf) | Body::Pax(buf) => buf.extend_from_slice(data),
                        Body::Skip => {}
                    }
                    *remaining -= take as u64;
                    self.position += take as u64;
                    input = rest;
                    if *remaining == 0 {
                        let pad = *pad;
                        let body = std::mem::replace(body, Body::Skip);
                        self.end_body(body, emit);
                        self.state = if pad > 0 { State::Padding(pad) } else { State::Header };
                    }
                }
                State::Padding(left) => {
                    let take = (*left).min(input.len());
                    *left -= take;
                    self.position += take as u64;
                    input = &input[take..];
                    if *left == 0 {
                        self.state = State::Header;
                    }
                }
            }
        }
        Ok(())
    }

    /// Ends the archive; an error means it stopped inside an entry or a header.
    pub fn finish(&mut self, emit: &mut impl FnMut(TarEvent<'_>)) -> Result<(), String> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Body { remaining, body: Body::File, .. } => {
                let (path, size) = self.current.take().unwrap_or_default();
                emit(TarEvent::End);
                Err(format!("tar entry {path:?} is cut short: {} of {size} bytes present", size - remaining))
            }
            State::Body { .. } => Err(format!("tar archive ends inside a header entry at byte {}", self.position)),
            State::Header if self.filled > 0 => {
                Err(format!("tar archive ends inside a header at byte {}", self.position))
            }
            _ => Ok(()),
        }
    }

    fn header(&mut self, emit: &mut impl FnMut(TarEvent<'_>)) -> Result<(), String> {
        let at = self.position - BLOCK as u64;
        if self.block.iter().all(|&b| b == 0) {
            self.state = State::Done;
            return Ok(());
        }
        let block = self.block;
        let header = Header::from_byte_slice(&block);
        let stored = header.cksum().map_err(|_| self.fail(format!("not a tar header at byte {at}")))?;
        let computed: u32 =
            block.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u32::from(b) }).sum();
        if stored != computed {
            return Err(self.fail(format!("tar header checksum mismatch at byte {at}")));
        }
        let size = header.entry_size().map_err(|_| self.fail(format!("bad entry size in tar header at byte {at}")))?;
        let kind = header.entry_type();
        let body = if kind.is_gnu_longname() || kind.is_pax_local_extensions() {
            if size > MAX_META {
                return Err(self.fail(format!("tar metadata entry of {size} bytes at byte {at}")));
            }
            if kind.is_gnu_longname() {
                Body::LongName(Vec::new())
            } else {
                Body::Pax(Vec::new())
            }
        } else if kind.is_file() || kind == tar::EntryType::Continuous || kind == tar::EntryType::GNUSparse {
            let path =
                self.next_path.take().unwrap_or_else(|| String::from_utf8_lossy(&header.path_bytes()).into_owned());
            emit(TarEvent::Entry { path: path.clone(), size });
            self.current = Some((path, size));
            Body::File
        } else {
            self.next_path = None;
            Body::Skip
        };
        let pad = ((BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64) as usize;
        if size == 0 {
            self.end_body(body, emit);
            self.state = State::Header;
        } else {
            self.state = State::Body { remaining: size, pad, body };
        }
        Ok(())
    }

    fn end_body(&mut self, body: Body, emit: &mut impl FnMut(TarEvent<'_>)) {
        match body {
            Body::File => {
                self.current = None;
                emit(TarEvent::End);
            }
            Body::LongName(name) => {
                let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
                self.next_path = Some(String::from_utf8_lossy(&name[..end]).into_owned());
            }
            Body::Pax(data) => {
                for ext in PaxExtensions::new(&data).flatten() {
                    if ext.key() == Ok("path") {
                        if let Ok(v) = ext.value() {
                            self.next_path = Some(v.to_owned());
                        }
                    }
                }
            }
            Body::Skip => {}
        }
    }

    fn fail(&mut self, msg: String) -> String {
        self.state = State::Failed;
        msg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            b.append_data(&mut h, name, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    type Entries = Vec<(String, Vec<u8>)>;

    fn split(bytes: &[u8], piece: usize) -> (Entries, Result<(), String>) {
        let mut t = TarSplitter::new();
        let mut out: Entries = Vec::new();
        let mut emit = |e: TarEvent<'_>| match e {
            TarEvent::Entry { path, .. } => out.push((path, Vec::new())),
            TarEvent::Data(d) => out.last_mut().unwrap().1.extend_from_slice(d),
            TarEvent::End => {}
        };
        for c in bytes.chunks(piece) {
            if let Err(e) = t.push(c, &mut emit) {
                return (out, Err(e));
            }
        }
        let r = t.finish(&mut emit);
        (out, r)
    }

    #[test]
    fn entries_come_out_whatever_the_slicing() {
        let long = format!("{}/2024-01-01.00:00:00.log", "d".repeat(150));
        let bytes = archive(&[("a.index", b"{}\n"), (&long, &[7u8; 1000]), ("empty", b"")]);
        for piece in [1, 100, 512, 100_000] {
            let (entries, r) = split(&bytes, piece);
            r.unwrap();
            assert_eq!(entries.len(), 3);
            assert_eq!(entries[0], ("a.index".to_owned(), b"{}\n".to_vec()));
            assert_eq!(entries[1].0, long, "GNU long names are followed");
            assert_eq!(entries[1].1, vec![7u8; 1000]);
            assert_eq!(entries[2].1, b"");
        }
    }

    #[test]
    fn cut_archive_keeps_earlier_entries_and_says_where() {
        let bytes = archive(&[("one", &[1u8; 600]), ("two", &[2u8; 2000])]);
        let (entries, r) = split(&bytes[..512 * 4 + 100], 333);
        assert_eq!(entries[0].1.len(), 600);
        assert_eq!(entries[1].1.len(), 100);
        assert!(r.unwrap_err().contains("\"two\" is cut short: 100 of 2000"));
    }

    #[test]
    fn garbage_is_refused_at_the_first_header() {
        let (entries, r) = split(&[b'x'; 2048], 100);
        assert!(entries.is_empty());
        assert!(r.is_err());
    }
}
