//! Hashes the engine's own sources and the workspace lock file (codec versions) into
//! `PIXELPOOL_ENGINE_SOURCES`, so `ENGINE_REVISION` changes with any change that could
//! change an output, without anyone having to remember to bump it.
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let lock = here.join("../../Cargo.lock");
    let mut files = vec![here.join("Cargo.toml"), lock.clone()];
    collect(&here.join("src"), &mut files);
    files.sort();
    let mut hash = Fnv::default();
    for file in &files {
        let relative = file.strip_prefix(&here).unwrap_or(file);
        hash.update(relative.to_string_lossy().as_bytes());
        hash.update(&fs::read(file).unwrap_or_default());
    }
    println!("cargo:rustc-env=PIXELPOOL_ENGINE_SOURCES={:016x}", hash.0);
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed={}", lock.display());
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// FNV-1a, 64 bits: stable across Rust releases, unlike std's hasher.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn update(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
