//! SHA-256 of each input file as stored, streamed in slices. The page runs this in a second
//! worker, so hashing uses the other core instead of slowing the parse.

use super::files::{read_slice, SLICE};
use super::post;
use review_core::problem::FileId;
use review_protocol::Response;
use sha2::{Digest, Sha256};
use web_sys::Blob;

pub async fn hash_files(ids: Vec<FileId>, handles: Vec<Blob>) {
    for (file, blob) in ids.into_iter().zip(handles) {
        let mut hasher = Sha256::new();
        let size = blob.size() as u64;
        let mut offset = 0;
        let mut failed = None;
        while offset < size {
            let end = (offset + SLICE * 4).min(size);
            match read_slice(&blob, offset, end).await {
                Ok(bytes) => hasher.update(&bytes),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
            offset = end;
        }
        let body = match failed {
            None => Response::Hashed { id: file, sha256: hex(&hasher.finalize()) },
            Some(e) => Response::Error(format!("could not hash file {file}: {e}")),
        };
        post(0, body);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
