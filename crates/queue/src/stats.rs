/// Counters since the queue was created, plus what is queued and running now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub queued: usize,
    pub running: usize,
    /// Out with remote workers now.
    pub remote: usize,
    pub completed: u64,
    pub failed: u64,
    pub cancelled: u64,
    pub forwarded: u64,
    pub cache_hits: u64,
    /// Jobs this process decoded (completed here, not from the cache): one per input.
    pub decoded: u64,
}
