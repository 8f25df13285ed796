//! A small scanner for the HTML Trunk writes: the tags in order, their attributes, and the text
//! of `<script>`/`<style>` elements. Not a general HTML parser: enough to audit and repackage a
//! page this project generates, and it fails loudly (an unterminated tag) rather than guessing.

/// One start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Lower-case element name.
    pub name: String,
    /// Attributes in order, names lower-cased, values with `&quot;`/`&amp;`… left as written.
    pub attrs: Vec<(String, String)>,
    /// For `<script>` and `<style>`: the raw text up to the closing tag.
    pub body: Option<String>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Every start tag of `html`, in document order (comments and end tags skipped).
pub fn tags(html: &str) -> Result<Vec<Tag>, String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or("an unterminated comment")?;
            rest = &after[end + 3..];
            continue;
        }
        let starts_name = rest[1..].starts_with(|c: char| c.is_ascii_alphabetic());
        if !starts_name {
            // `</x>`, `<!doctype>`, or a stray `<` in text.
            let end = rest.find('>').ok_or("an unterminated tag")?;
            rest = &rest[end + 1..];
            continue;
        }
        let (tag, after) = start_tag(&rest[1..])?;
        rest = after;
        let mut tag = tag;
        if tag.name == "script" || tag.name == "style" {
            let close = format!("</{}", tag.name);
            let end = find_ignore_case(rest, &close).ok_or_else(|| format!("<{}> is never closed", tag.name))?;
            tag.body = Some(rest[..end].to_owned());
            rest = &rest[end..];
        }
        out.push(tag);
    }
    Ok(out)
}

/// Parses `name attr=value …>` (after the `<`); returns the tag and the text after `>`.
fn start_tag(s: &str) -> Result<(Tag, &str), String> {
    let name_len = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(s.len());
    let name = s[..name_len].to_ascii_lowercase();
    let mut rest = &s[name_len..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("/>").or_else(|| rest.strip_prefix('>')) {
            return Ok((Tag { name, attrs, body: None }, after));
        }
        if rest.is_empty() {
            return Err(format!("<{name}> is not terminated"));
        }
        let attr_len = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/').unwrap_or(rest.len());
        let attr = rest[..attr_len].to_ascii_lowercase();
        rest = rest[attr_len..].trim_start();
        if attr.is_empty() {
            // A lone `/` inside the tag.
            rest = &rest[1..];
            continue;
        }
        let value = match rest.strip_prefix('=') {
            Some(v) => {
                let v = v.trim_start();
                let (value, after) = match v.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let end = v[1..].find(q).ok_or_else(|| format!("an unterminated {attr} value"))?;
                        (&v[1..1 + end], &v[end + 2..])
                    }
                    _ => {
                        let end = v.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(v.len());
                        (&v[..end], &v[end..])
                    }
                };
                rest = after;
                value.to_owned()
            }
            None => String::new(),
        };
        attrs.push((attr, value));
    }
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().checked_sub(n.len())? + 1).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_attributes_and_script_text() {
        let html = r#"<!doctype html><!-- a <script> in a comment --><html lang="en"><head>
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'">
            <link rel=stylesheet href='./a.css' integrity="sha384-x"/>
            <script type="module">import x from './x.js';</SCRIPT></head><body hidden></body></html>"#;
        let t = tags(html).unwrap();
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["html", "head", "meta", "link", "script", "body"]);
        assert_eq!(t[2].attr("content"), Some("default-src 'none'"));
        assert_eq!(t[3].attr("href"), Some("./a.css"));
        assert_eq!(t[4].body.as_deref(), Some("import x from './x.js';"));
        assert_eq!(t[5].attr("hidden"), Some(""));
    }

    #[test]
    fn unterminated_markup_is_an_error() {
        assert!(tags("<script>never closed").is_err());
        assert!(tags("<a href=\"x").is_err());
        assert!(tags("<!-- open").is_err());
    }
}
