use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use mozjpeg::{ColorSpace, Decompress, Marker};

use super::jpeg_markers;
use super::scale::DecodeScale;
use super::Header;
use crate::colour;
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::spec::FailOn;

const END_OF_IMAGE: &[u8] = &[0xFF, 0xD9];
type Source<'a> = std::io::Chain<&'a [u8], &'a [u8]>;

thread_local! {
    /// libjpeg reports warnings through a C callback; they are counted here for the decode
    /// running on this thread.
    static WARNINGS: Cell<Warnings> = const { Cell::new(Warnings { count: 0 }) };
}

#[derive(Clone, Copy)]
struct Warnings {
    count: u32,
}

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    guarded(|| {
        let decoder = open(bytes)?;
        let (exif, icc) = metadata(&decoder);
        let (width, height) = decoder.size();
        Ok(jpeg_markers::header(width as u32, height as u32, exif, icc))
    })
}

pub fn decode(bytes: &[u8], scale: DecodeScale, fail_on: FailOn) -> Result<Image> {
    WARNINGS.with(|w| w.set(Warnings { count: 0 }));
    let image = guarded(|| {
        let mut decoder = open(bytes)?;
        let (_, icc) = metadata(&decoder);
        decoder.scale(scale.eighths() as u8);
        let cmyk = matches!(
            decoder.color_space(),
            ColorSpace::JCS_CMYK | ColorSpace::JCS_YCCK
        );
        let grey = decoder.color_space() == ColorSpace::JCS_GRAYSCALE;
        let target = match (cmyk, grey) {
            (true, _) => ColorSpace::JCS_CMYK,
            (_, true) => ColorSpace::JCS_GRAYSCALE,
            _ => ColorSpace::JCS_RGB,
        };
        let mut started = decoder.to_colorspace(target).map_err(corrupt)?;
        let (width, height) = (started.width() as u32, started.height() as u32);
        let pixels: Vec<u8> = started.read_scanlines().map_err(corrupt)?;
        // No jpeg_finish_decompress: like libvips, reading stops after the last scanline,
        // so what follows the image data (stray bytes, a marker before the end) is never
        // read and its warnings do not count against failOn.
        drop(started);
        Ok(if cmyk {
            // Adobe's CMYK JPEGs (nearly all of them) store ink inverted: 255 = none.
            let ink: Vec<u8> = pixels.iter().map(|&v| 255 - v).collect();
            Image::new(width, height, 3, colour::cmyk_to_srgb(&ink, icc.as_deref()))
        } else {
            Image::new(width, height, if grey { 1 } else { 3 }, pixels)
        })
    })?;
    let warnings = WARNINGS.with(Cell::get).count;
    let truncated = warnings > 0 && !bytes.ends_with(END_OF_IMAGE);
    let rejects = match fail_on {
        FailOn::None => false,
        FailOn::Truncated | FailOn::Error => truncated,
        FailOn::Warning => warnings > 0,
    };
    if rejects {
        let what = if truncated {
            "is truncated"
        } else {
            "has invalid data"
        };
        return Err(EngineError::corrupt(format!(
            "JPEG data {what} (failOn: '{}')",
            fail_on.name()
        )));
    }
    Ok(image)
}

/// A truncated file gets an end-of-image marker after its last byte, so libjpeg finishes
/// the image with a warning (grey below the cut) instead of failing outright; `failOn`
/// decides what that warning means.
fn open(bytes: &[u8]) -> Result<Decompress<Source<'_>>> {
    use std::io::Read;
    Decompress::with_err(error_manager())
        .with_markers(&[Marker::APP(1), Marker::APP(2)])
        .from_reader(bytes.chain(END_OF_IMAGE))
        .map_err(corrupt)
}

fn metadata(decoder: &Decompress<Source<'_>>) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    jpeg_markers::metadata(decoder.markers().filter_map(|marker| match marker.marker {
        Marker::APP(n) => Some((0xE0 + n, marker.data)),
        _ => None,
    }))
}

fn error_manager() -> mozjpeg_sys::jpeg_error_mgr {
    // SAFETY: jpeg_std_error fills every field of a zeroed manager.
    let mut manager: mozjpeg_sys::jpeg_error_mgr = unsafe { std::mem::zeroed() };
    unsafe { mozjpeg_sys::jpeg_std_error(&mut manager) };
    manager.error_exit = Some(unwind_on_error);
    manager.emit_message = Some(count_warning);
    manager
}

extern "C-unwind" fn unwind_on_error(cinfo: &mut mozjpeg_sys::jpeg_common_struct) {
    let message = library_message(cinfo);
    std::panic::resume_unwind(Box::new(message));
}

/// libjpeg's own text for its current message, e.g. "Premature end of JPEG file".
fn library_message(cinfo: &mut mozjpeg_sys::jpeg_common_struct) -> String {
    type Format = unsafe extern "C-unwind" fn(&mut mozjpeg_sys::jpeg_common_struct, *mut [u8; 80]);
    let Some(format_message) = (unsafe { cinfo.err.as_ref() }).and_then(|e| e.format_message)
    else {
        return "unknown libjpeg error".into();
    };
    let mut buffer = [0u8; 80];
    // SAFETY: libjpeg writes at most JMSG_LENGTH_MAX (80) bytes, NUL-terminated, into the
    // buffer; the binding declares it as a shared reference, hence the cast.
    unsafe {
        let format_message: Format = std::mem::transmute(format_message);
        format_message(cinfo, &mut buffer);
    }
    let text = buffer.split(|&b| b == 0).next().unwrap_or_default();
    String::from_utf8_lossy(text).into_owned()
}

extern "C-unwind" fn count_warning(cinfo: &mut mozjpeg_sys::jpeg_common_struct, level: i32) {
    let _ = cinfo;
    if level < 0 {
        WARNINGS.with(|w| {
            w.set(Warnings {
                count: w.get().count + 1,
            })
        });
    }
}

/// libjpeg reports fatal errors by unwinding; this turns that into an error value.
fn guarded<T>(work: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        if detail.contains("read error") {
            // The cut fell inside the header, before any pixels: nothing to salvage.
            return Err(EngineError::corrupt(
                "JPEG data is truncated before the image data",
            ));
        }
        Err(EngineError::corrupt(format!(
            "JPEG data is invalid ({detail})"
        )))
    })
}

fn corrupt(error: std::io::Error) -> EngineError {
    EngineError::corrupt(format!("JPEG data is invalid ({error})"))
}
