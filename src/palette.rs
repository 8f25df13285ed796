//! Terminal colours that are computed rather than themed.

/// The xterm 256-colour palette beyond the 16 ANSI colours: a 6×6×6 cube, then 24 greys.
pub fn xterm_256(i: u8) -> (u8, u8, u8) {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    if i >= 232 {
        let v = 8 + 10 * (i - 232);
        return (v, v, v);
    }
    let n = i.saturating_sub(16);
    (LEVELS[usize::from(n / 36)], LEVELS[usize::from((n / 6) % 6)], LEVELS[usize::from(n % 6)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cube_and_greys_match_xterm() {
        assert_eq!(xterm_256(16), (0, 0, 0));
        assert_eq!(xterm_256(196), (255, 0, 0));
        assert_eq!(xterm_256(21), (0, 0, 255));
        assert_eq!(xterm_256(231), (255, 255, 255));
        assert_eq!(xterm_256(232), (8, 8, 8));
        assert_eq!(xterm_256(255), (238, 238, 238));
    }
}
