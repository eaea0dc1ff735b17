//! A tile pyramid as one value: a zip archive with its entries stored (tiles are already
//! compressed). It is the zip container itself, and what the fs container unpacks, so a
//! pyramid crosses the cache and remote workers as any other output's bytes.
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::error::{EngineError, ErrorKind, Result};

/// Zip's own limit without its 64-bit extension.
const ZIP32_LIMIT: u64 = u32::MAX as u64;

pub(super) fn pack(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let total: u64 = files.iter().map(|(_, bytes)| bytes.len() as u64).sum();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(total >= ZIP32_LIMIT);
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(total as usize)));
    for (name, bytes) in files {
        writer
            .start_file(name.as_str(), options)
            .map_err(zip_error)?;
        writer.write_all(bytes).map_err(|e| zip_error(e.into()))?;
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}

/// The files of a pyramid's archive, each with its path relative to the output's folder.
/// Paths that would leave that folder (absolute, or through `..`) are refused.
pub fn unpack_tiles(archive: &[u8]) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut archive = ZipArchive::new(Cursor::new(archive)).map_err(zip_error)?;
    let mut files = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(zip_error)?;
        if entry.is_dir() {
            continue;
        }
        let Some(path) = entry.enclosed_name() else {
            return Err(EngineError::new(
                ErrorKind::CorruptInput,
                format!(
                    "tile archive: the entry {} leaves its folder",
                    String::from_utf8_lossy(entry.name_raw())
                ),
            ));
        };
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| zip_error(e.into()))?;
        files.push((path, bytes));
    }
    Ok(files)
}

fn zip_error(error: zip::result::ZipError) -> EngineError {
    EngineError::new(ErrorKind::Internal, format!("tile archive: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_come_back_as_they_went_in() {
        let files = vec![
            ("a.dzi".to_string(), b"<Image/>".to_vec()),
            ("a_files/0/0_0.jpeg".to_string(), vec![0xff, 0xd8, 0xff]),
        ];
        let unpacked = unpack_tiles(&pack(&files).unwrap()).unwrap();
        let expected: Vec<_> = files
            .into_iter()
            .map(|(name, bytes)| (PathBuf::from(name), bytes))
            .collect();
        assert_eq!(unpacked, expected);
    }

    #[test]
    fn an_entry_leaving_its_folder_is_refused() {
        let files = vec![("../escape.txt".to_string(), b"x".to_vec())];
        let error = unpack_tiles(&pack(&files).unwrap()).unwrap_err();
        assert!(error.to_string().contains("leaves its folder"), "{error}");
    }
}
