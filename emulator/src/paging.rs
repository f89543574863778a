//! Cursor pagination over an ordered index, as the API does it.
//!
//! A `from` cursor is exclusive, as the service's is: `from=K` starts after the entries with
//! sort key `K`, and `offset=r` brings back the last `r` of them, so a page that ends inside
//! a tie (many files of one size or upload moment) goes on exactly where it stopped. With no
//! tie at the boundary `next` carries `offset=0`, as recorded answers do, and a client that
//! drops `offset` (the official JS paginator does) still pages correctly. Pages are read from
//! a `BTreeSet` range, never by scanning every entry.

use crate::state::Index;

/// Where a page starts or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// The start of the listing.
    Start,
    /// The last `offset` entries with `key`, then those after `key`, forwards.
    From { key: i64, offset: u64 },
    /// The entries before the one at `offset` among those with `key`.
    To { key: i64, offset: u64 },
}

/// One page: the entries' sequence numbers in listing order and the cursors around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageOut {
    pub seqs: Vec<u64>,
    /// `(key, offset)` for a `from` cursor to the next page.
    pub next: Option<(i64, u64)>,
    /// `(key, offset)` for a `to` cursor to the previous page.
    pub previous: Option<(i64, u64)>,
}

type Entries<'a> = Box<dyn Iterator<Item = &'a (i64, u64)> + 'a>;

/// The listing in order, from the first entry with `key` (or the start).
fn forward(index: &Index, desc: bool, key: Option<i64>) -> Entries<'_> {
    match (desc, key) {
        (false, None) => Box::new(index.iter()),
        (true, None) => Box::new(index.iter().rev()),
        (false, Some(k)) => Box::new(index.range((k, 0)..)),
        (true, Some(k)) => Box::new(index.range(..=(k, u64::MAX)).rev()),
    }
}

/// The listing backwards, from the last entry before the entries with `key`.
fn backward_before(index: &Index, desc: bool, key: i64) -> Entries<'_> {
    if desc {
        match key.checked_add(1) {
            Some(next) => Box::new(index.range((next, 0)..)),
            None => Box::new(std::iter::empty()),
        }
    } else {
        Box::new(index.range(..(key, 0)).rev())
    }
}

/// How many matching entries share `entry`'s key and come before it in listing order.
fn rank_in_key(index: &Index, desc: bool, entry: (i64, u64), matches: &dyn Fn(u64) -> bool) -> u64 {
    forward(index, desc, Some(entry.0)).take_while(|e| e.0 == entry.0 && **e != entry).filter(|e| matches(e.1)).count() as u64
}

/// The last `remaining` matching entries with `key`, then the matching entries after `key`.
fn from_position<'a>(
    index: &'a Index,
    desc: bool,
    key: i64,
    remaining: u64,
    matches: &'a dyn Fn(u64) -> bool,
) -> impl Iterator<Item = (i64, u64)> + 'a {
    let tied = forward(index, desc, Some(key)).take_while(move |e| e.0 == key).filter(move |e| matches(e.1)).count() as u64;
    let skip = tied.saturating_sub(remaining);
    let mut passed = 0;
    forward(index, desc, Some(key)).copied().filter(move |e| matches(e.1)).skip_while(move |e| {
        if e.0 == key && passed < skip {
            passed += 1;
            true
        } else {
            false
        }
    })
}

/// How many matching entries share `entry`'s key and come after it in listing order.
fn after_in_key(index: &Index, desc: bool, entry: (i64, u64), matches: &dyn Fn(u64) -> bool) -> u64 {
    forward(index, desc, Some(entry.0)).take_while(|e| e.0 == entry.0).skip_while(|e| **e != entry).skip(1).filter(|e| matches(e.1)).count()
        as u64
}

/// One page of `limit` matching entries at `cursor`.
pub fn page(index: &Index, desc: bool, cursor: Cursor, limit: usize, matches: &dyn Fn(u64) -> bool) -> PageOut {
    let entries: Vec<(i64, u64)> = match cursor {
        Cursor::Start => forward(index, desc, None).copied().filter(|e| matches(e.1)).take(limit).collect(),
        Cursor::From { key, offset } => from_position(index, desc, key, offset, matches).take(limit).collect(),
        Cursor::To { key, offset } => {
            let same_key: Vec<(i64, u64)> = forward(index, desc, Some(key))
                .take_while(|e| e.0 == key)
                .copied()
                .filter(|e| matches(e.1))
                .take(offset as usize)
                .collect();
            let before = backward_before(index, desc, key).copied().filter(|e| matches(e.1));
            let mut entries: Vec<(i64, u64)> = same_key.into_iter().rev().chain(before).take(limit).collect();
            entries.reverse();
            entries
        }
    };
    let (Some(&first), Some(&last)) = (entries.first(), entries.last()) else {
        return PageOut { seqs: Vec::new(), next: None, previous: None };
    };
    let remaining = after_in_key(index, desc, last, matches);
    let has_next = from_position(index, desc, last.0, remaining, matches).next().is_some();
    let first_rank = rank_in_key(index, desc, first, matches);
    // A page from the start has nothing before it; only a cursor's page walks back to see.
    let has_previous = cursor != Cursor::Start && (first_rank > 0 || backward_before(index, desc, first.0).any(|e| matches(e.1)));
    PageOut {
        seqs: entries.iter().map(|e| e.1).collect(),
        next: has_next.then_some((last.0, remaining)),
        previous: has_previous.then_some((first.0, first_rank)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks every page forward, then back, and checks each entry is seen exactly once.
    fn check(keys: &[i64], desc: bool, limit: usize, matches: &dyn Fn(u64) -> bool) {
        let index: Index = keys.iter().enumerate().map(|(seq, &k)| (k, seq as u64)).collect();
        let mut expected: Vec<u64> = index.iter().filter(|e| matches(e.1)).map(|e| e.1).collect();
        if desc {
            expected = index.iter().rev().filter(|e| matches(e.1)).map(|e| e.1).collect();
        }
        let mut seen: Vec<u64> = Vec::new();
        let mut pages = Vec::new();
        let mut cursor = Cursor::Start;
        loop {
            let p = page(&index, desc, cursor, limit, matches);
            assert!(p.seqs.len() <= limit);
            seen.extend(&p.seqs);
            pages.push(p.clone());
            match p.next {
                Some((key, offset)) => cursor = Cursor::From { key, offset },
                None => break,
            }
        }
        assert_eq!(seen, expected, "forward walk, desc={desc} limit={limit}");
        // Walk back from the last page with `previous`, which must give the same pages.
        let mut back = pages.pop().unwrap();
        while let Some((key, offset)) = back.previous {
            let p = page(&index, desc, Cursor::To { key, offset }, limit, matches);
            let expected_page = pages.pop().expect("previous exists only when a page does");
            assert_eq!(p.seqs, expected_page.seqs);
            back = p;
        }
        assert!(pages.is_empty(), "walking back reached the first page");
    }

    #[test]
    fn every_entry_once_with_ties_both_directions() {
        let keys: Vec<i64> = (0..97).map(|i| (i * 7 % 10) as i64).collect();
        for desc in [false, true] {
            for limit in [1, 2, 3, 10, 50, 200] {
                check(&keys, desc, limit, &|_| true);
                check(&keys, desc, limit, &|seq| seq % 3 != 0);
            }
        }
    }

    #[test]
    fn all_entries_share_one_key() {
        let keys = vec![5i64; 25];
        for desc in [false, true] {
            check(&keys, desc, 4, &|_| true);
        }
    }

    #[test]
    fn from_is_exclusive_and_offset_counts_what_is_left_of_a_tie() {
        let index: Index = [(1, 0), (2, 1), (2, 2), (2, 3), (3, 4)].into_iter().collect();
        let all = |_: u64| true;
        let first = page(&index, false, Cursor::Start, 2, &all);
        assert_eq!((first.seqs.clone(), first.next), (vec![0, 1], Some((2, 2))), "two of key 2 are left");
        let second = page(&index, false, Cursor::From { key: 2, offset: 2 }, 2, &all);
        assert_eq!((second.seqs.clone(), second.next), (vec![2, 3], Some((2, 0))), "no tie left: offset 0");
        assert_eq!(page(&index, false, Cursor::From { key: 2, offset: 0 }, 5, &all).seqs, vec![4], "without offset, after the key");
    }

    #[test]
    fn empty_and_nothing_matching() {
        check(&[], false, 5, &|_| true);
        let p = page(&[(1, 0), (2, 1)].into_iter().collect(), false, Cursor::Start, 5, &|_| false);
        assert_eq!(p, PageOut { seqs: vec![], next: None, previous: None });
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any cursor over any index: no panic, at most `limit` entries, every one matching,
        /// and cursors that lead on only when there is more.
        #[test]
        fn any_cursor_over_any_index(keys in prop::collection::vec(0i64..20, 0..80), desc in any::<bool>(), limit in 1usize..30,
                                     cursor in prop_oneof![Just(None), (0i64..25, 0u64..10, any::<bool>()).prop_map(Some)],
                                     modulo in 1u64..4) {
            let index: Index = keys.iter().enumerate().map(|(seq, &k)| (k, seq as u64)).collect();
            let matches = |seq: u64| seq % modulo == 0;
            let cursor = match cursor {
                None => Cursor::Start,
                Some((key, offset, true)) => Cursor::From { key, offset },
                Some((key, offset, false)) => Cursor::To { key, offset },
            };
            let page = page(&index, desc, cursor, limit, &matches);
            prop_assert!(page.seqs.len() <= limit);
            prop_assert!(page.seqs.iter().all(|&s| matches(s)));
            if page.seqs.is_empty() {
                prop_assert!(page.next.is_none() && page.previous.is_none());
            }
        }
    }
}
