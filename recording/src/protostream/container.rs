//! The ProtoStream container: parts of `header | gzip body (part_size) | zero padding`.
//! V1 headers are 24 bytes (version, part_size, padding_size as u64 BE); V2 headers are 32,
//! with a flags byte at offset 24 (bit 0: the body is encrypted).

use crate::RecordingError;

const V1_HEADER: usize = 24;
const V2_HEADER: usize = 32;
const FLAG_ENCRYPTED: u8 = 1;

/// One part's body as found in the file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PartBody<'a> {
    /// 0-based part number in the file.
    pub number: usize,
    /// Byte offset of the part's header in the file.
    pub at: usize,
    pub body: &'a [u8],
}

fn word(bytes: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.get(i..i + 8)?.try_into().ok()?))
}

/// Every part with a non-empty body, in file order. Defects stop the walk with a message in
/// `problems`; an encrypted part is an error, since nothing in it can be read.
pub(crate) fn parts<'a>(
    name: &str,
    file: &'a [u8],
    problems: &mut Vec<String>,
) -> Result<Vec<PartBody<'a>>, RecordingError> {
    let mut parts = Vec::new();
    let mut at = 0usize;
    let mut number = 0usize;
    while let Some(rest) = file.get(at..).filter(|r| !r.is_empty()) {
        if rest.iter().all(|&b| b == 0) {
            break; // zero padding after the last part
        }
        let place = format!("{name}, part {number} (at byte {at})");
        let Some(version) = word(rest, 0) else {
            problems.push(format!("{name}: {} stray bytes after the last part at byte {at}; ignored", rest.len()));
            break;
        };
        let header = match version {
            1 => V1_HEADER,
            2 => V2_HEADER,
            _ => {
                let why = if version > 2 && version < 256 {
                    format!("ProtoStream version {version} is not supported (only versions 1 and 2 exist)")
                } else {
                    format!("not a ProtoStream part header (version word {version:#x})")
                };
                problems.push(format!("{place}: {why}; nothing more read"));
                break;
            }
        };
        if rest.len() < header {
            problems.push(format!("{place}: the file ends inside the part header ({} of {header} bytes)", rest.len()));
            break;
        }
        let (part_size, padding) = (word(rest, 8).unwrap_or(0), word(rest, 16).unwrap_or(0));
        let flags = if version == 2 { rest.get(24).copied().unwrap_or(0) } else { 0 };
        if flags & FLAG_ENCRYPTED != 0 {
            return Err(RecordingError::Encrypted);
        }
        let available = rest.len() - header;
        let body_len = usize::try_from(part_size).unwrap_or(usize::MAX).min(available);
        if (body_len as u64) < part_size {
            problems.push(format!(
                "{place}: the part claims {part_size} bytes but only {available} follow: the file is cut; reading what is there"
            ));
        }
        if body_len > 0 {
            parts.push(PartBody { number, at, body: &rest[header..header + body_len] });
        }
        let next = (header as u64).saturating_add(part_size).saturating_add(padding);
        if next > rest.len() as u64 {
            if (body_len as u64) == part_size {
                problems.push(format!("{place}: the file ends inside the part's zero padding (it was cut)"));
            }
            break;
        }
        at += next as usize;
        number += 1;
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(version: u64, body: &[u8], padding: u64, flags: u8) -> Vec<u8> {
        let mut p = Vec::new();
        p.extend(version.to_be_bytes());
        p.extend((body.len() as u64).to_be_bytes());
        p.extend(padding.to_be_bytes());
        if version == 2 {
            p.push(flags);
            p.extend([0; 7]);
        }
        p.extend(body);
        p.extend(vec![0; padding as usize]);
        p
    }

    #[test]
    fn walks_parts_skipping_padding_and_empty_parts() {
        let file = [part(1, b"one", 5, 0), part(1, b"", 7, 0), part(2, b"three", 0, 0)].concat();
        let mut problems = Vec::new();
        let parts = parts("f", &file, &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let bodies: Vec<_> = parts.iter().map(|p| (p.number, p.at, p.body)).collect();
        assert_eq!(bodies, [(0, 0, &b"one"[..]), (2, 24 + 3 + 5 + 24 + 7, &b"three"[..])]);
    }

    #[test]
    fn encrypted_is_an_error_not_garbage() {
        let file = part(2, b"age-encryption.org/v1", 0, 1);
        assert_eq!(parts("f", &file, &mut Vec::new()), Err(RecordingError::Encrypted));
    }

    #[test]
    fn cut_part_keeps_its_start_and_says_where() {
        let file = [part(1, b"first", 0, 0), part(1, b"second", 0, 0)].concat();
        let mut problems = Vec::new();
        let parts = parts("s.tar", &file[..file.len() - 2], &mut problems).unwrap();
        assert_eq!(parts[1].body, b"seco");
        assert_eq!(problems, ["s.tar, part 1 (at byte 29): the part claims 6 bytes but only 4 follow: the file is cut; reading what is there"]);
    }

    #[test]
    fn unknown_versions_stop_the_walk() {
        let file = [part(1, b"a", 0, 0), part(3, b"b", 0, 0)].concat();
        let mut problems = Vec::new();
        assert_eq!(parts("f", &file, &mut problems).unwrap().len(), 1);
        assert!(problems[0].contains("version 3 is not supported"), "{problems:?}");
        let mut problems = Vec::new();
        assert!(parts("f", &file[..20], &mut problems).unwrap().is_empty());
        assert!(problems[0].contains("ends inside the part header (20 of 24 bytes)"), "{problems:?}");
    }
}
