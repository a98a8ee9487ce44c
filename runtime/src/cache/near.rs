//! Each worker thread's copy of the entries it used lately, in front of the shared cache.
//!
//! A hit in the shared cache costs a few hundred nanoseconds of bookkeeping shared between
//! threads; a hit here is a plain hash lookup. Entries keep the shared entry's expiry (never
//! extended), and a generation number, bumped by every eviction, retires them all at once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::Instant;

use super::{Entry, TokenDigest};

/// Entries per thread and per cache; past this the thread's copy starts afresh.
const CAPACITY: usize = 1024;

struct NearEntry {
    entry: Entry,
    generation: u64,
}

/// Hashes a key that holds a SHA-256 digest: its bytes are already as uniform as a hash can
/// make them, so a keyed SipHash over them would only cost time. (Only tokens the auth service
/// accepted get here, and the map is small and bounded, so crafted collisions cost little.)
#[derive(Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut word = [0; 8];
        let len = bytes.len().min(8);
        word[..len].copy_from_slice(&bytes[..len]);
        self.0 = self.0.rotate_left(29) ^ u64::from_le_bytes(word);
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = self.0.rotate_left(29) ^ value;
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
}

type NearMap = HashMap<(u64, TokenDigest), NearEntry, BuildHasherDefault<DigestHasher>>;

thread_local! {
    static NEAR: RefCell<NearMap> = RefCell::new(NearMap::default());
}

/// The entry of `cache` for `digest`, if this thread holds one of `generation` that has not
/// expired at `now`.
pub(super) fn get(
    cache: u64,
    digest: &TokenDigest,
    generation: u64,
    now: Instant,
) -> Option<Entry> {
    NEAR.with(|near| {
        let mut near = near.borrow_mut();
        let key = (cache, *digest);
        let found = near.get(&key)?;
        if found.generation == generation && now < found.entry.expires_at {
            return Some(found.entry.clone());
        }
        near.remove(&key);
        None
    })
}

/// Keeps `entry`, read from the shared cache while it was at `generation`.
pub(super) fn put(cache: u64, digest: TokenDigest, entry: Entry, generation: u64) {
    NEAR.with(|near| {
        let mut near = near.borrow_mut();
        if near.len() >= CAPACITY {
            near.clear();
        }
        near.insert((cache, digest), NearEntry { entry, generation });
    });
}
