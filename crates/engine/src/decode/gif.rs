use std::io::Cursor;

use gif::{ColorOutput, DecodeOptions};

use super::Header;
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::spec::Format;

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let decoder = options().read_info(Cursor::new(bytes)).map_err(corrupt)?;
    Ok(Header {
        format: Format::Gif,
        width: decoder.width() as u32,
        height: decoder.height() as u32,
        has_alpha: true,
        orientation: 1,
        exif: None,
        icc: None,
        warnings: Vec::new(),
    })
}

/// The first frame, placed on a transparent canvas of the logical screen size.
pub fn decode(bytes: &[u8]) -> Result<Image> {
    let mut decoder = options().read_info(Cursor::new(bytes)).map_err(corrupt)?;
    let (width, height) = (decoder.width() as u32, decoder.height() as u32);
    let mut canvas = Image::filled(width, height, &[0, 0, 0, 0]);
    let frame = decoder
        .read_next_frame()
        .map_err(corrupt)?
        .ok_or_else(|| EngineError::corrupt("GIF has no frames"))?;
    let frame_stride = frame.width as usize * 4;
    for row in 0..frame.height as u32 {
        let y = frame.top as u32 + row;
        if y >= height {
            break;
        }
        let visible = (frame.width as u32).min(width.saturating_sub(frame.left as u32)) as usize;
        if visible == 0 {
            break; // the frame lies right of the canvas
        }
        let at = row as usize * frame_stride;
        // A damaged file can end its frame early: only the rows it holds are drawn.
        let Some(source) = frame.buffer.get(at..at + visible * 4) else {
            break;
        };
        let start = (y as usize * width as usize + frame.left as usize) * 4;
        canvas.data[start..start + visible * 4].copy_from_slice(source);
    }
    Ok(canvas)
}

fn options() -> DecodeOptions {
    let mut options = DecodeOptions::new();
    options.set_color_output(ColorOutput::RGBA);
    options
}

fn corrupt(error: gif::DecodingError) -> EngineError {
    EngineError::corrupt(format!("GIF data is invalid ({error})"))
}
