//! The fonts of the interface are resolved before any load starts (see src/ui/fonts.rs): a font
//! first met during a big load cost a layout of up to 78 ms. This keeps the warm-up's list in
//! step with the stylesheet.

use crate::harness::{Browser, Result};
use std::collections::BTreeSet;

/// The (family, size, weight) of every piece of text on screen, the terminal aside (its size is
/// fitted to the frame), and of the warm-up's spans.
const FONTS: &str = r#"
    const key = e => { const s = getComputedStyle(e); return [s.fontFamily, s.fontSize, s.fontWeight].join(' | '); };
    const shown = new Set(), warmed = new Set();
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (w.nextNode()) {
        const e = w.currentNode.parentElement;
        if (!w.currentNode.data.trim() || e.closest('.term-frame')) continue;
        (e.closest('.font-warmup') ? warmed : shown).add(key(e));
    }
    return [[...shown], [...warmed]];
"#;

async fn fonts(b: &Browser) -> Result<(BTreeSet<String>, BTreeSet<String>)> {
    let v = b.js(FONTS).await?;
    let set = |i: usize| v[i].as_array().into_iter().flatten().filter_map(|s| s.as_str().map(String::from)).collect();
    Ok((set(0), set(1)))
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn every_font_on_screen_was_warmed_before_the_load() -> Result {
    let b = Browser::app().await?;
    b.wait_for(".font-warmup span").await?;
    let (_, warmed) = fonts(&b).await?;
    assert!(!warmed.is_empty(), "no warm-up spans");
    b.load_demo().await?;
    let mut shown = fonts(&b).await?.0;
    for view in ["Dashboard", "Sessions", "Auth", "Events", "Recordings", "Findings", "Problems", "Overview"] {
        b.click_text(".rail button", view).await?;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        shown.extend(fonts(&b).await?.0);
    }
    b.click_text(".rail button", "Events").await?;
    b.click(".tbody .tr").await?;
    b.wait_for(".drawer").await?;
    shown.extend(fonts(&b).await?.0);
    b.click("button[aria-label='Keyboard shortcuts']").await?;
    b.wait_text("body", "In the player").await?;
    shown.extend(fonts(&b).await?.0);
    assert!(shown.len() > 5, "fonts on screen: {shown:?}");
    let cold: Vec<_> = shown.difference(&warmed).collect();
    assert!(cold.is_empty(), "fonts shown but not warmed (add them to src/ui/fonts.rs): {cold:#?}");
    Ok(())
}
