//! One stable sort for every list. The standard library's sort is compiled anew for each
//! element type and comparison (some 3 KB of WebAssembly each, a dozen of them in the first
//! page's module); [`sort_by`] sorts the elements' positions instead, through one compiled
//! sort, then moves each element to its place. The result is the standard stable sort's: the
//! same order, equal elements kept in the order they came.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably (as `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &mut |a, b| compare(&items[a], &items[b]));
    permute(items, &mut order);
}

/// Sorts `items` by the key `key` gives, stably (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` by their order, stably (as `slice::sort`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The one compiled sort: positions, compared through `compare`.
#[inline(never)]
fn sort_positions(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|a, b| compare(*a, *b));
}

/// Puts the element at `order[i]` at `i`, for every `i`, cycle by cycle (`order` is a
/// permutation; it is spent).
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        // Along the cycle through `start`, each place takes the element its entry names; the
        // element first at `start` travels along and ends in the cycle's last place.
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_elements_keep_their_order() {
        // Sorted by the number only: the letters of equal numbers stay as they came.
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        sort_by_key(&mut items, |x| x.0);
        assert_eq!(
            items,
            vec![(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]
        );
    }

    #[test]
    fn a_reversed_comparison_sorts_descending() {
        let mut items = vec!["b", "c", "a"];
        sort_by(&mut items, |a, b| b.cmp(a));
        assert_eq!(items, vec!["c", "b", "a"]);
    }

    proptest! {
        #[test]
        fn the_order_is_the_standard_stable_sort(items in prop::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut expected = items.clone();
            expected.sort_by_key(|x| x.0);
            let mut got = items.clone();
            sort_by_key(&mut got, |x| x.0);
            prop_assert_eq!(&got, &expected);
            let mut strings: Vec<String> = items.iter().map(|x| format!("{}", x.1 % 50)).collect();
            let mut expected = strings.clone();
            expected.sort();
            sort(&mut strings);
            prop_assert_eq!(strings, expected);
        }
    }
}
