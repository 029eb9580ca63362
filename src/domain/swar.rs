//! Eight bytes at a time in a `u64` ("SIMD within a register"): the scans and digit runs of
//! the importer's hot loops. Portable and safe: a `u64` is a native integer in wasm too,
//! where a byte-at-a-time loop costs more than natively (about 1.6× for the CSV scans here).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `b` from `at` as a little-endian word; `None` when fewer remain.
fn load(b: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = b.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of every byte of `w` equal to `byte`. Exact for the lowest such byte; a
/// higher one may be flagged wrongly (the borrow of the subtraction), so only the lowest
/// set bit is read.
fn equal(w: u64, byte: u8) -> u64 {
    let x = w ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The index of the first byte of `b`, from `from`, that is one of `bytes`; `b.len()` when
/// none is.
pub fn find_any<const N: usize>(b: &[u8], from: usize, bytes: [u8; N]) -> usize {
    let mut i = from.min(b.len());
    while let Some(w) = load(b, i) {
        let hits = bytes.iter().fold(0, |m, &c| m | equal(w, c));
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = &b[i..];
    i + rest
        .iter()
        .position(|c| bytes.contains(c))
        .unwrap_or(rest.len())
}

/// True when the eight bytes of `w` are ASCII digits.
fn eight_digits(w: u64) -> bool {
    let above = w.wrapping_add(0x4646_4646_4646_4646);
    let below = w.wrapping_sub(0x3030_3030_3030_3030);
    (above | below) & HIGHS == 0
}

/// The value of eight ASCII digits (the first byte the most significant), in three
/// multiplications (as `core`'s float parser does).
fn eight_digit_value(w: u64) -> u64 {
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 0x000F_4240_0000_0064;
    const MUL2: u64 = 0x0000_2710_0000_0001;
    let v = w.wrapping_sub(0x3030_3030_3030_3030);
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    let v1 = (v & MASK).wrapping_mul(MUL1);
    let v2 = ((v >> 16) & MASK).wrapping_mul(MUL2);
    u64::from((v1.wrapping_add(v2) >> 32) as u32)
}

/// Reads the ASCII digits at the start of `b` onto `acc` (`acc × 10 + digit`, wrapping),
/// eight at a time while it can; returns how many there were.
pub fn read_digits(b: &[u8], acc: &mut u64) -> usize {
    let mut i = 0;
    while let Some(w) = load(b, i).filter(|&w| eight_digits(w)) {
        *acc = acc
            .wrapping_mul(100_000_000)
            .wrapping_add(eight_digit_value(w));
        i += 8;
    }
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        *acc = acc.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
        i += 1;
    }
    i
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn finds_the_first_of_several_bytes() {
        let b = b"0123456789abcdef\"x,y\r\n";
        assert_eq!(find_any(b, 0, [b'"']), 16);
        assert_eq!(find_any(b, 0, [b',', b'\n', b'\r']), 18);
        assert_eq!(find_any(b, 19, [b',', b'\n', b'\r']), 20);
        assert_eq!(find_any(b, 0, [b'#']), b.len());
        assert_eq!(find_any(b, b.len(), [b'"']), b.len());
        assert_eq!(find_any(b, b.len() + 3, [b'"']), b.len(), "past the end");
    }

    #[test]
    fn reads_digit_runs() {
        let mut acc = 0;
        assert_eq!(read_digits(b"1234567890123456789.5", &mut acc), 19);
        assert_eq!(acc, 1_234_567_890_123_456_789);
        let mut acc = 7;
        assert_eq!(read_digits(b"0012x", &mut acc), 4);
        assert_eq!(acc, 70_012);
        assert_eq!(read_digits(b"", &mut acc), 0);
        assert_eq!(
            read_digits(b"/:09", &mut acc),
            0,
            "the bytes beside the digits"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// As a byte-at-a-time search, wherever the bytes fall in a word.
        #[test]
        fn find_any_is_a_search(
            b in proptest::collection::vec(prop_oneof![Just(b'"'), Just(b','), Just(b'\n'), any::<u8>()], 0..40),
            from in 0usize..45,
        ) {
            let naive = |set: &[u8]| {
                (from..b.len()).find(|&i| set.contains(&b[i])).unwrap_or(b.len())
            };
            prop_assert_eq!(find_any(&b, from, [b'"']), naive(b"\""));
            prop_assert_eq!(find_any(&b, from, [b',', b'\n', b'\r']), naive(b",\n\r"));
        }

        /// As a digit-at-a-time reading, for any bytes (digits, their neighbours, others).
        #[test]
        fn read_digits_is_a_digit_loop(
            b in proptest::collection::vec(prop_oneof![4 => b'0'..=b'9', 1 => Just(b'/'), 1 => Just(b':'), 1 => any::<u8>()], 0..30),
            start in any::<u64>(),
        ) {
            let (mut acc, mut expected) = (start, start);
            let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
            for &c in &b[..n] {
                expected = expected.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            }
            prop_assert_eq!(read_digits(&b, &mut acc), n);
            prop_assert_eq!(acc, expected);
        }
    }
}
