//! JSON tokens written straight into a byte buffer, escaped as Go's `encoding/json` (and
//! json-iterator's standard-compatible mode, Teleport's `FastMarshal`) escape them: `<`, `>` and
//! `&` become `\u003c` `\u003e` `\u0026`, U+2028/U+2029 are escaped, control bytes become
//! `\n` `\r` `\t` or `\u00XX`.

const HEX: &[u8; 16] = b"0123456789abcdef";

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\' || b == b'<' || b == b'>' || b == b'&' || b == 0xe2
}

/// Appends `s` as a quoted JSON string.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| needs_escape(b)) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'<' | b'>' | b'&' => unicode_escape(out, u32::from(b)),
            0..=0x1f => unicode_escape(out, u32::from(b)),
            // U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
            0xe2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) => {
                unicode_escape(out, 0x2000 | u32::from(bytes[i + 2] - 0xa8 + 0x28));
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    out.push(b'"');
}

fn unicode_escape(out: &mut Vec<u8>, c: u32) {
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((c >> shift) & 0xf) as usize]);
    }
}

pub fn write_int(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends a UUID in its 8-4-4-4-12 lowercase form, unquoted.
pub fn write_uuid(out: &mut Vec<u8>, u: u128) {
    let mut buf = [0u8; 36];
    let mut at = 0;
    for (i, byte) in u.to_be_bytes().into_iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            buf[at] = b'-';
            at += 1;
        }
        buf[at] = HEX[usize::from(byte >> 4)];
        buf[at + 1] = HEX[usize::from(byte & 0xf)];
        at += 2;
    }
    out.extend_from_slice(&buf);
}

pub fn uuid_string(u: u128) -> String {
    let mut out = Vec::with_capacity(36);
    write_uuid(&mut out, u);
    String::from_utf8(out).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_as_go_does() {
        assert_eq!(s("plain"), r#""plain""#);
        assert_eq!(s("<img src=x onerror=alert(1)>"), r#""\u003cimg src=x onerror=alert(1)\u003e""#);
        assert_eq!(s("\u{1b}[31mroot"), r#""\u001b[31mroot""#);
        assert_eq!(s("a\"b\\c\nd&"), r#""a\"b\\c\nd\u0026""#);
        assert_eq!(s("x\u{2028}y€"), "\"x\\u2028y€\"");
        // Whatever is written reads back as the original string.
        for v in ["<img src=x onerror=alert(1)>", "\u{1b}[2J\u{7}", "tab\there", "€\u{2029}"] {
            assert_eq!(serde_json::from_str::<String>(&s(v)).unwrap(), v);
        }
    }

    #[test]
    fn numbers_and_uuids() {
        let mut out = Vec::new();
        write_int(&mut out, -2147483648);
        out.push(b' ');
        write_int(&mut out, 0);
        out.push(b' ');
        write_uuid(&mut out, 0x0123_4567_89ab_cdef_0011_2233_4455_6677);
        assert_eq!(String::from_utf8(out).unwrap(), "-2147483648 0 01234567-89ab-cdef-0011-223344556677");
    }
}
