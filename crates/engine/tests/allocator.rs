//! A job leaves glibc keeping freed large blocks for the next one (allocator.rs), so the
//! kernel does not map and zero their pages again for every job.
mod common;

use common::*;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn after_a_job_freed_large_blocks_stay_with_the_process() {
    assert!(
        std::env::var("GLIBC_TUNABLES").is_err(),
        "run without GLIBC_TUNABLES: this test checks pixelpool's own settings"
    );
    let bytes = corpus("kodak-kodim23.png");
    let spec = sized(Some(64), None, jpeg(80));
    pixelpool_engine::process(&bytes, &[spec], &Default::default()).unwrap();

    // 8 MiB: above glibc's default mmap threshold (128 KiB, before it adapts), below ours.
    let mapped_before = unsafe { libc::mallinfo2() }.hblkhd;
    let block = std::hint::black_box(vec![1u8; 8 << 20]);
    let mapped_during = unsafe { libc::mallinfo2() }.hblkhd;
    drop(block);
    let free_after = unsafe { libc::mallinfo2() }.fordblks;
    assert_eq!(
        mapped_during, mapped_before,
        "the 8 MiB block was mapped on its own"
    );
    assert!(
        free_after >= 8 << 20,
        "freed, it was not kept: {free_after} bytes free"
    );
}
