//! Each worker thread's copy of the entries it used lately, in front of the shared cache.
//!
//! A hit in the shared cache costs a few hundred nanoseconds of bookkeeping shared between
//! threads, after a SHA-256 of the token; a hit here is a plain hash lookup by the token
//! itself, compared in full. Entries keep the shared entry's expiry (never extended), and a
//! generation number, bumped by every eviction, retires them all at once.
//!
//! The tokens are kept here for as long as their entries, at most the cache's TTL and 1024 per
//! cache and thread (for the last 8 caches a thread used): only tokens the auth service
//! accepted, which the request that carried them had in memory anyway. They never leave these
//! maps: no logging, no `Debug`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::Instant;

use super::Entry;

/// Entries per cache and thread; past this the thread's copy of that cache starts afresh.
const CAPACITY: usize = 1024;

/// Caches whose entries a thread copies; past this the one it started copying first is
/// dropped. Services with caches of their own are few.
const CACHES: usize = 8;

struct NearEntry {
    entry: Entry,
    generation: u64,
}

/// Hashes a token by its length and its last bytes only. A JWT ends in its signature, as
/// random as a hash; hashing the whole token would cost as much as the lookup saves. Equal
/// hashes never make a hit: the map compares whole tokens. (Only tokens the auth service
/// accepted get here, and the map is small and bounded, so crafted collisions cost little.)
#[derive(Default)]
struct TokenTailHasher(u64);

impl Hasher for TokenTailHasher {
    fn finish(&self) -> u64 {
        // A multiply spreads the bytes into the high bits, which hashbrown's groups use.
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    fn write(&mut self, bytes: &[u8]) {
        let tail = &bytes[bytes.len().saturating_sub(16)..];
        let mut words = [0_u8; 16];
        words[..tail.len()].copy_from_slice(tail);
        let (low, high) = words.split_at(8);
        for word in [low, high] {
            let mut value = [0_u8; 8];
            value.copy_from_slice(word);
            self.0 = self.0.rotate_left(29) ^ u64::from_le_bytes(value);
        }
        self.write_u64(bytes.len() as u64);
    }

    fn write_u8(&mut self, value: u8) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = self.0.rotate_left(29) ^ value;
    }
}

type NearMap = HashMap<Box<str>, NearEntry, BuildHasherDefault<TokenTailHasher>>;

thread_local! {
    /// A map per cache, so that services with caches of their own never see each other's
    /// entries, and one token used with both does not evict itself.
    static NEAR: RefCell<Vec<(u64, NearMap)>> = const { RefCell::new(Vec::new()) };
}

/// The entry of `cache` for `token`, if this thread holds one of `generation` that has not
/// expired at `now`.
pub(super) fn get(cache: u64, token: &str, generation: u64, now: Instant) -> Option<Entry> {
    NEAR.with(|near| {
        let mut near = near.borrow_mut();
        let (_, entries) = near.iter_mut().find(|(id, _)| *id == cache)?;
        let found = entries.get(token)?;
        if found.generation == generation && now < found.entry.expires_at {
            return Some(found.entry.clone());
        }
        entries.remove(token);
        None
    })
}

/// Keeps `entry` for `token`, read from `cache` while it was at `generation`.
pub(super) fn put(cache: u64, token: &str, entry: Entry, generation: u64) {
    NEAR.with(|near| {
        let mut near = near.borrow_mut();
        let position = match near.iter().position(|(id, _)| *id == cache) {
            Some(position) => position,
            None => {
                if near.len() >= CACHES {
                    near.remove(0);
                }
                near.push((cache, NearMap::default()));
                near.len() - 1
            }
        };
        let entries = &mut near[position].1;
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(token.into(), NearEntry { entry, generation });
    })
}

/// How many entries of `cache` this thread holds.
#[cfg(test)]
pub(super) fn len(cache: u64) -> usize {
    NEAR.with(|near| {
        let near = near.borrow();
        near.iter()
            .find(|(id, _)| *id == cache)
            .map_or(0, |(_, entries)| entries.len())
    })
}
