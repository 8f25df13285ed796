//! The common audit line read in one plain pass, without serde's machinery: in wasm serde_json
//! looks for a string's end 4 bytes at a time and goes through a visitor per value, and it was
//! most of a load's time. This pass finds string ends with `memchr` (SIMD in wasm too).
//!
//! It reads only what it is sure serde_json reads the same way, into the same [`Wire`], and
//! declines (`None`) anything else: control characters, escaped top-level keys (serde's derive
//! undoes their escapes; nested ones it only checks), a repeated indexed key, values nested over
//! 128 deep, indexed values that are objects, arrays, fractions or integers over 18 digits, and
//! every line that is not valid JSON. [`super::parse::parse_line`] then asks serde_json, which
//! stays the judge of every line this pass does not read. A test and a fuzz target check that
//! both read every line the same (natively: the wasm SIMD helpers at the end are checked only
//! through the browser tests' loads).

use super::parse::{RawText, Text, User, Wire};
use std::borrow::Cow;

/// `text` (one line, valid UTF-8) as serde_json would read it, or `None` to let it decide.
pub(super) fn read(text: &str) -> Option<Wire<'_>> {
    let s = text.as_bytes();
    // With no control character, whitespace is only spaces and no string can hold a raw one
    // (which JSON forbids).
    if has_control(s) {
        return None;
    }
    let mut scan = Scan { text, s, i: 0 };
    let mut wire = Wire::default();
    let mut seen = 0u32;
    scan.spaces();
    scan.eat(b'{')?;
    scan.spaces();
    if scan.peek()? == b'}' {
        scan.i += 1;
    } else {
        loop {
            let (start, end, escaped) = scan.key()?;
            if escaped {
                return None;
            }
            match indexed(&s[start..end]) {
                None => scan.skip()?,
                Some(f) => {
                    // serde's derive rejects a repeated field: it says so, not this pass.
                    if seen & (1 << f as u32) != 0 {
                        return None;
                    }
                    seen |= 1 << f as u32;
                    scan.read_field(&mut wire, f)?;
                }
            }
            scan.spaces();
            match scan.next()? {
                b',' => scan.spaces(),
                b'}' => break,
                _ => return None,
            }
        }
    }
    scan.spaces();
    (scan.i == s.len()).then_some(wire)
}

/// The indexed keys, one bit each in `seen`.
#[derive(Clone, Copy)]
enum Field {
    Event,
    Time,
    Code,
    Uid,
    Ei,
    Cluster,
    User,
    Login,
    Sid,
    ServerId,
    ServerHostname,
    ServerAddr,
    AddrLocal,
    AddrRemote,
    Method,
    Error,
    Message,
    Command,
    Program,
    Argv,
    Size,
    Proto,
    Success,
    Status,
    Interactive,
    Participants,
    SessionStart,
    SessionStop,
}

fn indexed(key: &[u8]) -> Option<Field> {
    Some(match key {
        b"event" => Field::Event,
        b"time" => Field::Time,
        b"code" => Field::Code,
        b"uid" => Field::Uid,
        b"ei" => Field::Ei,
        b"cluster_name" => Field::Cluster,
        b"user" => Field::User,
        b"login" => Field::Login,
        b"sid" => Field::Sid,
        b"server_id" => Field::ServerId,
        b"server_hostname" => Field::ServerHostname,
        b"server_addr" => Field::ServerAddr,
        b"addr.local" => Field::AddrLocal,
        b"addr.remote" => Field::AddrRemote,
        b"method" => Field::Method,
        b"error" => Field::Error,
        b"message" => Field::Message,
        b"command" => Field::Command,
        b"program" => Field::Program,
        b"argv" => Field::Argv,
        b"size" => Field::Size,
        b"proto" => Field::Proto,
        b"success" => Field::Success,
        b"status" => Field::Status,
        b"interactive" => Field::Interactive,
        b"participants" => Field::Participants,
        b"session_start" => Field::SessionStart,
        b"session_stop" => Field::SessionStop,
        _ => return None,
    })
}

struct Scan<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
}

impl<'a> Scan<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }

    #[inline(always)]
    fn eat(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    #[inline(always)]
    fn spaces(&mut self) {
        while self.s.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
    }

    /// After an opening quote: the string's span (without quotes) and whether it has escapes,
    /// which are checked as serde_json checks a string it skips.
    #[inline(always)]
    fn string(&mut self) -> Option<(usize, usize, bool)> {
        let start = self.i;
        let mut escaped = false;
        loop {
            let at = self.i + quote_or_backslash(&self.s[self.i..])?;
            if self.s[at] == b'"' {
                self.i = at + 1;
                return Some((start, at, escaped));
            }
            escaped = true;
            self.i = at + 1;
            match self.next()? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                b'u' => {
                    let hex = self.s.get(self.i..self.i + 4)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    self.i += 4;
                }
                _ => return None,
            }
        }
    }

    /// `true`, `false` or `null`, whose first byte is next.
    #[inline(always)]
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.s.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// A number by JSON's grammar: its span, and whether it is an integer (no fraction or
    /// exponent).
    fn number(&mut self) -> Option<(usize, usize, bool)> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.some_digits()?;
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.some_digits()?;
            integer = false;
        }
        Some((start, self.i, integer))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.i;
        self.digits();
        (self.i > start).then_some(())
    }

    /// Skips any value, checking it as serde_json checks a value it ignores (iteratively, as it
    /// does: no recursion, no limit but the one of this stack of levels, past which it is left
    /// to serde_json).
    fn skip(&mut self) -> Option<()> {
        // Bit `level`: that level is an object (else an array).
        let mut objects = 0u128;
        let mut depth = 0u32;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                }
                open @ (b'{' | b'[') => {
                    if depth == u128::BITS {
                        return None;
                    }
                    self.i += 1;
                    self.spaces();
                    let object = open == b'{';
                    if self.peek()? != if object { b'}' } else { b']' } {
                        objects = (objects & !(1 << depth)) | (u128::from(object) << depth);
                        depth += 1;
                        if object {
                            self.key()?;
                        }
                        continue;
                    }
                    self.i += 1;
                }
                _ => return None,
            }
            // A value is read: close the levels it ends, or go on to the next.
            loop {
                if depth == 0 {
                    return Some(());
                }
                self.spaces();
                let object = (objects >> (depth - 1)) & 1 == 1;
                match self.next()? {
                    b',' => {
                        self.spaces();
                        if object {
                            self.key()?;
                        }
                        break;
                    }
                    b'}' if object => depth -= 1,
                    b']' if !object => depth -= 1,
                    _ => return None,
                }
            }
        }
    }

    /// An object's key and its colon: the key's span and whether it has escapes (checked as in
    /// [`Scan::string`]; serde_json undoes them only in the keys of the line's own object).
    fn key(&mut self) -> Option<(usize, usize, bool)> {
        self.eat(b'"')?;
        let key = self.string()?;
        self.spaces();
        self.eat(b':')?;
        self.spaces();
        Some(key)
    }

    /// A value read as [`Text`]: strings, `null`, booleans and short integers (what serde's
    /// visitor makes of others is left to it).
    #[inline(always)]
    fn text_value(&mut self) -> Option<Text<'a>> {
        match self.peek()? {
            b'"' => {
                self.i += 1;
                let (start, end, escaped) = self.string()?;
                if !escaped {
                    return Some(Text::String(Cow::Borrowed(&self.text[start..end])));
                }
                // Escapes are undone by serde_json itself (surrogates and all).
                let quoted = &self.text[start - 1..=end];
                let s: Cow<'_, str> = serde_json::from_str(quoted).ok()?;
                Some(Text::String(Cow::Owned(s.into_owned())))
            }
            b'n' => self.literal(b"null").map(|()| Text::None),
            b't' => self.literal(b"true").map(|()| Text::Scalar("true".to_owned())),
            b'f' => self.literal(b"false").map(|()| Text::Scalar("false".to_owned())),
            b'-' | b'0'..=b'9' => {
                let (start, end, integer) = self.number()?;
                let digits = &self.text[start..end];
                // Up to 18 digits an integer is an i64 or u64, which serde prints as written
                // (`-0` it reads as a float).
                (integer && end - start <= 18 && digits != "-0").then(|| Text::Scalar(digits.to_owned()))
            }
            _ => None,
        }
    }

    /// A value kept as its JSON text (`null`: absent, as serde's `Option` has it).
    fn raw(&mut self) -> Option<Option<RawText<'a>>> {
        if self.peek()? == b'n' {
            return self.literal(b"null").map(|()| None);
        }
        let start = self.i;
        self.skip()?;
        Some(Some(RawText(&self.text[start..self.i])))
    }

    fn read_field(&mut self, w: &mut Wire<'a>, f: Field) -> Option<()> {
        let text = match f {
            Field::Event => {
                w.event = match self.text_value()? {
                    Text::None => None,
                    t => Some(t),
                };
                return Some(());
            }
            Field::User => {
                w.user = User(self.text_value()?);
                return Some(());
            }
            Field::Argv => return self.raw().map(|r| w.argv = r),
            Field::Success => return self.raw().map(|r| w.success = r),
            Field::Status => return self.raw().map(|r| w.status = r),
            Field::Interactive => return self.raw().map(|r| w.interactive = r),
            Field::Participants => return self.raw().map(|r| w.participants = r),
            Field::Time => &mut w.time,
            Field::Code => &mut w.code,
            Field::Uid => &mut w.uid,
            Field::Ei => &mut w.ei,
            Field::Cluster => &mut w.cluster_name,
            Field::Login => &mut w.login,
            Field::Sid => &mut w.sid,
            Field::ServerId => &mut w.server_id,
            Field::ServerHostname => &mut w.server_hostname,
            Field::ServerAddr => &mut w.server_addr,
            Field::AddrLocal => &mut w.addr_local,
            Field::AddrRemote => &mut w.addr_remote,
            Field::Method => &mut w.method,
            Field::Error => &mut w.error,
            Field::Message => &mut w.message,
            Field::Command => &mut w.command,
            Field::Program => &mut w.program,
            Field::Size => &mut w.size,
            Field::Proto => &mut w.proto,
            Field::SessionStart => &mut w.session_start,
            Field::SessionStop => &mut w.session_stop,
        };
        *text = self.text_value()?;
        Some(())
    }
}

/// Whether the quick pass reads `line` (else serde_json does): for tests.
#[doc(hidden)]
pub fn quick_pass_reads(line: &[u8]) -> bool {
    std::str::from_utf8(line).ok().and_then(read).is_some()
}

/// Where the first `"` or `\\` is: most strings end within 16 bytes, which one vector compare
/// answers (memchr's setup costs more than that at this length).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn quote_or_backslash(s: &[u8]) -> Option<usize> {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128, v128_or};
    if s.len() >= 16 {
        // SAFETY: 16 bytes are there; wasm loads need no alignment.
        let v = unsafe { std::ptr::read_unaligned(s.as_ptr().cast::<v128>()) };
        let hits = u8x16_bitmask(v128_or(u8x16_eq(v, u8x16_splat(b'"')), u8x16_eq(v, u8x16_splat(b'\\'))));
        if hits != 0 {
            return Some(hits.trailing_zeros() as usize);
        }
        return memchr::memchr2(b'"', b'\\', &s[16..]).map(|at| at + 16);
    }
    memchr::memchr2(b'"', b'\\', s)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn quote_or_backslash(s: &[u8]) -> Option<usize> {
    memchr::memchr2(b'"', b'\\', s)
}

/// Whether any byte is below 0x20, 16 at a time (the page's build, for size, vectorizes no loop
/// of its own).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn has_control(s: &[u8]) -> bool {
    use core::arch::wasm32::{u8x16_lt, u8x16_splat, v128, v128_any_true, v128_or};
    let mut chunks = s.chunks_exact(16);
    let mut any = u8x16_splat(0);
    for chunk in &mut chunks {
        // SAFETY: a chunk is 16 bytes; wasm loads need no alignment.
        let v = unsafe { std::ptr::read_unaligned(chunk.as_ptr().cast::<v128>()) };
        any = v128_or(any, u8x16_lt(v, u8x16_splat(0x20)));
    }
    v128_any_true(any) || chunks.remainder().iter().any(|&b| b < 0x20)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn has_control(s: &[u8]) -> bool {
    s.iter().fold(u8::MAX, |m, &b| m.min(b)) < 0x20
}
