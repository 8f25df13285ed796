//! Protobuf wire format, written by hand from the encoding rules (varint keys, proto3 defaults
//! omitted, embedded messages length-delimited) so the encoder shares nothing with the prost
//! decoder it tests.

const VARINT: u64 = 0;
const LENGTH_DELIMITED: u64 = 2;

/// A message being written.
#[derive(Default)]
pub(super) struct Message(pub Vec<u8>);

impl Message {
    pub fn new() -> Self {
        Self::default()
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn key(&mut self, field: u32, wire: u64) {
        self.varint((u64::from(field) << 3) | wire);
    }

    /// int64/int32/enum: negatives are 10-byte two's complement varints; 0 is omitted.
    pub fn int(&mut self, field: u32, v: i64) -> &mut Self {
        if v != 0 {
            self.key(field, VARINT);
            self.varint(v as u64);
        }
        self
    }

    pub fn uint(&mut self, field: u32, v: u64) -> &mut Self {
        if v != 0 {
            self.key(field, VARINT);
            self.varint(v);
        }
        self
    }

    pub fn bool(&mut self, field: u32, v: bool) -> &mut Self {
        self.uint(field, u64::from(v))
    }

    pub fn bytes(&mut self, field: u32, b: &[u8]) -> &mut Self {
        if !b.is_empty() {
            self.raw(field, b);
        }
        self
    }

    pub fn string(&mut self, field: u32, s: &str) -> &mut Self {
        self.bytes(field, s.as_bytes())
    }

    /// Repeated strings: every element, empty ones too.
    pub fn strings(&mut self, field: u32, items: &[String]) -> &mut Self {
        for s in items {
            self.raw(field, s.as_bytes());
        }
        self
    }

    /// An embedded message, always written (gogoproto `nullable=false` writes empty ones).
    pub fn message(&mut self, field: u32, m: Message) -> &mut Self {
        self.raw(field, &m.0);
        self
    }

    fn raw(&mut self, field: u32, b: &[u8]) {
        self.key(field, LENGTH_DELIMITED);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    pub fn build(&mut self) -> Message {
        Message(std::mem::take(&mut self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_from_the_protobuf_docs() {
        // "150 in field 1" is 08 96 01; the string "testing" in field 2 is 12 07 74 65 73 74 69 6e 67.
        assert_eq!(Message::new().int(1, 150).build().0, [0x08, 0x96, 0x01]);
        assert_eq!(Message::new().string(2, "testing").build().0, b"\x12\x07testing");
        assert_eq!(
            Message::new().int(1, -1).build().0,
            [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        );
        assert!(Message::new().int(1, 0).string(2, "").build().0.is_empty(), "proto3 defaults are omitted");
        assert_eq!(Message::new().message(5, Message::new()).build().0, [0x2a, 0x00]);
    }
}
