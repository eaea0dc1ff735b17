//! A content-addressed result cache shared by processes. An entry is keyed by the input's
//! bytes, the output specs and the engine revision; it is a folder holding the encoded
//! outputs and a manifest with their hashes, written under a temporary name and renamed
//! into place, and verified on every read. Least recently used entries are evicted past
//! a size cap; "used" is the manifest's modification time, touched on every hit.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use pixelpool_engine::{
    DecodeLimits, Encoded, Format, InputInfo, OutputSpec, Placement, ENGINE_REVISION,
};
use serde::{Deserialize, Serialize};

const MANIFEST: &str = "manifest.json";

#[derive(Serialize, Deserialize)]
struct Manifest {
    input: InputInfo,
    outputs: Vec<StoredOutput>,
}

#[derive(Serialize, Deserialize)]
struct StoredOutput {
    format: Format,
    width: u32,
    height: u32,
    size: u64,
    blake3: String,
    #[serde(flatten)]
    placement: Placement,
}

pub struct Cache {
    dir: PathBuf,
    max_bytes: u64,
    /// Bytes stored since the last eviction scan (this process only; the scan counts all).
    stored_since_scan: AtomicU64,
}

/// What a hit gives back: the same shape the engine produces.
pub struct Hit {
    pub input: InputInfo,
    pub outputs: Vec<Encoded>,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>, max_bytes: u64) -> Self {
        // Start as if the cap were reached so the first store scans what is already there.
        Self {
            dir: dir.into(),
            max_bytes,
            stored_since_scan: AtomicU64::new(max_bytes),
        }
    }

    pub fn key(input: &[u8], specs: &[OutputSpec], limits: &DecodeLimits) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(ENGINE_REVISION.as_bytes());
        hasher.update(&(input.len() as u64).to_le_bytes());
        hasher.update(input);
        let described = serde_json::to_vec(&(specs, limits)).expect("specs serialise");
        hasher.update(&described);
        hasher.finalize().to_hex().to_string()
    }

    fn entry(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(key)
    }

    /// Whether an entry exists (without checking it: `get` does).
    pub fn contains(&self, key: &str) -> bool {
        self.entry(key).join(MANIFEST).is_file()
    }

    /// The stored result, if present and intact. A damaged entry is removed.
    pub fn get(&self, key: &str) -> Option<Hit> {
        let entry = self.entry(key);
        let manifest: Manifest =
            serde_json::from_slice(&fs::read(entry.join(MANIFEST)).ok()?).ok()?;
        let mut outputs = Vec::with_capacity(manifest.outputs.len());
        for (index, stored) in manifest.outputs.iter().enumerate() {
            match fs::read(entry.join(index.to_string())) {
                Ok(bytes)
                    if bytes.len() as u64 == stored.size
                        && blake3::hash(&bytes).to_hex().as_str() == stored.blake3 =>
                {
                    outputs.push(Encoded {
                        format: stored.format,
                        width: stored.width,
                        height: stored.height,
                        bytes,
                        placement: stored.placement,
                    });
                }
                _ => {
                    let _ = fs::remove_dir_all(&entry);
                    return None;
                }
            }
        }
        let _ = fs::File::options()
            .append(true)
            .open(entry.join(MANIFEST))
            .and_then(|f| f.set_modified(SystemTime::now()));
        Some(Hit {
            input: manifest.input,
            outputs,
        })
    }

    /// Stores a result; failures only cost a future hit, so they are ignored.
    pub fn put(&self, key: &str, input: &InputInfo, outputs: &[Encoded]) {
        let size: u64 = outputs.iter().map(|o| o.bytes.len() as u64).sum();
        if self.write_entry(key, input, outputs).is_ok()
            && self.stored_since_scan.fetch_add(size, Ordering::Relaxed) + size
                >= self.max_bytes / 10
        {
            self.stored_since_scan.store(0, Ordering::Relaxed);
            let _ = self.evict();
        }
    }

    fn write_entry(&self, key: &str, input: &InputInfo, outputs: &[Encoded]) -> io::Result<()> {
        let entry = self.entry(key);
        if entry.exists() {
            return Ok(());
        }
        let staging = self.dir.join("tmp").join(format!(
            "{key}.{}.{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        fs::create_dir_all(&staging)?;
        let stored = outputs
            .iter()
            .enumerate()
            .map(|(index, output)| {
                fs::write(staging.join(index.to_string()), &output.bytes)?;
                Ok(StoredOutput {
                    format: output.format,
                    width: output.width,
                    height: output.height,
                    size: output.bytes.len() as u64,
                    blake3: blake3::hash(&output.bytes).to_hex().to_string(),
                    placement: output.placement,
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        let manifest = Manifest {
            input: input.clone(),
            outputs: stored,
        };
        fs::write(staging.join(MANIFEST), serde_json::to_vec(&manifest)?)?;
        fs::create_dir_all(entry.parent().expect("entries sit in a shard folder"))?;
        // Another process may have stored the same key meanwhile: either copy is good.
        if fs::rename(&staging, &entry).is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        Ok(())
    }

    /// Removes least recently used entries until the cache holds at most `max_bytes`.
    pub fn evict(&self) -> io::Result<()> {
        let mut entries = Vec::new();
        for shard in fs::read_dir(&self.dir)?.flatten() {
            if shard.file_name() == "tmp" || !shard.path().is_dir() {
                continue;
            }
            for entry in fs::read_dir(shard.path())?.flatten() {
                if let Some(found) = measure(&entry.path()) {
                    entries.push(found);
                }
            }
        }
        let mut total: u64 = entries.iter().map(|(_, size, _)| size).sum();
        entries.sort_by_key(|(_, _, used)| *used);
        for (path, size, _) in entries {
            if total <= self.max_bytes {
                break;
            }
            if fs::remove_dir_all(&path).is_ok() {
                total -= size;
            }
        }
        Ok(())
    }
}

/// An entry's folder, its size in bytes and when it was last used.
fn measure(entry: &Path) -> Option<(PathBuf, u64, SystemTime)> {
    let used = fs::metadata(entry.join(MANIFEST))
        .and_then(|m| m.modified())
        .ok()?;
    let size = fs::read_dir(entry)
        .ok()?
        .flatten()
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len())
        .sum();
    Some((entry.to_path_buf(), size, used))
}
