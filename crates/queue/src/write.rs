//! Output files appear whole or not at all: every output of a job is written to a
//! temporary file beside its destination, and only renamed once all were written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{ErrorCode, JobError};

pub struct PendingFile<'a> {
    pub index: usize,
    pub path: &'a Path,
    pub bytes: &'a [u8],
}

pub fn write_all_or_nothing(job_id: u64, files: &[PendingFile<'_>]) -> Result<(), JobError> {
    let mut written: Vec<(PathBuf, &Path)> = Vec::with_capacity(files.len());
    for file in files {
        match write_temporary(job_id, file) {
            Ok(temporary) => written.push((temporary, file.path)),
            Err(error) => {
                remove_all(written.iter().map(|(temporary, _)| temporary));
                return Err(io_error(file, error));
            }
        }
    }
    for (position, (temporary, destination)) in written.iter().enumerate() {
        if let Err(error) = fs::rename(temporary, destination) {
            remove_all(written[position..].iter().map(|(temporary, _)| temporary));
            return Err(io_error(&files[position], error));
        }
    }
    Ok(())
}

fn write_temporary(job_id: u64, file: &PendingFile<'_>) -> io::Result<PathBuf> {
    if let Some(parent) = file.path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let name = file
        .path
        .file_name()
        .ok_or_else(|| io::Error::other("the path names no file"))?;
    let temporary = file.path.with_file_name(format!(
        ".{}.{}-{job_id}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        file.index
    ));
    if let Err(error) = fs::write(&temporary, file.bytes) {
        let _ = fs::remove_file(&temporary);
        return Err(error);
    }
    Ok(temporary)
}

fn remove_all<'a>(paths: impl Iterator<Item = &'a PathBuf>) {
    for path in paths {
        let _ = fs::remove_file(path);
    }
}

fn io_error(file: &PendingFile<'_>, error: io::Error) -> JobError {
    JobError {
        code: ErrorCode::IoError,
        message: format!(
            "outputs[{}].path {}: cannot write ({error})",
            file.index,
            file.path.display()
        ),
        output_index: Some(file.index),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("pixelpool-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_every_file_and_creates_folders() {
        let dir = scratch("ok");
        let (a, b) = (dir.join("x/a.bin"), dir.join("y/z/b.bin"));
        let files = [
            PendingFile {
                index: 0,
                path: &a,
                bytes: b"one",
            },
            PendingFile {
                index: 1,
                path: &b,
                bytes: b"two",
            },
        ];
        write_all_or_nothing(7, &files).unwrap();
        assert_eq!(fs::read(&a).unwrap(), b"one");
        assert_eq!(fs::read(&b).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(dir.join("x")).unwrap().count(),
            1,
            "no temporary files left"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_failing_file_leaves_nothing_behind() {
        let dir = scratch("fail");
        fs::create_dir_all(&dir).unwrap();
        let blocker = dir.join("not-a-folder");
        fs::write(&blocker, b"file").unwrap();
        let (good, bad) = (dir.join("good.bin"), blocker.join("bad.bin"));
        let files = [
            PendingFile {
                index: 0,
                path: &good,
                bytes: b"one",
            },
            PendingFile {
                index: 1,
                path: &bad,
                bytes: b"two",
            },
        ];
        let error = write_all_or_nothing(7, &files).unwrap_err();
        assert_eq!(error.code, ErrorCode::IoError);
        assert!(error.message.contains("outputs[1].path"), "{error}");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("not-a-folder")]);
        fs::remove_dir_all(dir).unwrap();
    }
}
