use std::borrow::Cow;
use std::io::Cursor;

use gif::{ColorOutput, DecodeOptions, Decoder};

use gif::{DisposalMethod, Repeat};

use super::Header;
use crate::error::{EngineError, Result};
use crate::frames::{Frames, Selection};
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

/// The first frame, placed on a transparent canvas of the logical screen size; with alpha
/// only when a frame of the file declares a transparent colour, as libvips (libnsgif)
/// decides: elsewhere what the frame leaves uncovered, or a damaged frame leaves unfilled,
/// is black.
pub fn decode(bytes: &[u8]) -> Result<Image> {
    let mut decoder = options().read_info(Cursor::new(bytes)).map_err(corrupt)?;
    let (width, height) = (decoder.width() as u32, decoder.height() as u32);
    let mut canvas = Image::filled(width, height, &[0, 0, 0, 0]);
    let first = next_frame(&mut decoder, (width, height))?;
    if let Some(frame) = &first {
        draw(&mut canvas, frame, false);
    }
    let transparent_first = first.is_some_and(|frame| frame.transparent.is_some());
    if transparent_first || declares_transparency(bytes) {
        return Ok(canvas);
    }
    Ok(crate::pixels::with_channels(&canvas, 3))
}

/// The next frame and the pixels of it that fall on the canvas (`canvas` wide and high):
/// its size is cut to that part, so a frame declared far larger than the canvas costs no
/// more memory than the canvas. A frame whose data ends early keeps the pixels it holds
/// (the rest transparent), and a frame 0 pixels wide or high draws nothing, as libnsgif
/// shows them.
fn next_frame(
    decoder: &mut Decoder<Cursor<&[u8]>>,
    (canvas_width, canvas_height): (u32, u32),
) -> Result<Option<gif::Frame<'static>>> {
    let Some(info) = decoder.next_frame_info().map_err(corrupt)? else {
        return Ok(None);
    };
    let mut frame = info.clone();
    let visible_width = (frame.width as u32).min(canvas_width.saturating_sub(frame.left as u32));
    let visible_height = (frame.height as u32).min(canvas_height.saturating_sub(frame.top as u32));
    let (line, visible_line) = (decoder.line_length(), visible_width as usize * 4);
    let mut pixels = vec![0u8; visible_line * visible_height as usize];
    if visible_line > 0 && visible_height > 0 {
        // Each stored row is decoded whole, and its part on the canvas kept.
        let mut row = vec![0u8; line];
        let rows: Box<dyn Iterator<Item = usize>> = match frame.interlaced {
            true => Box::new(interlaced_rows(frame.height as usize)),
            false => Box::new(0..frame.height as usize),
        };
        for y in rows {
            // A row the data ends inside keeps the pixels decoded before the end.
            row.fill(0);
            let whole = decoder.fill_buffer(&mut row).map_err(corrupt)?;
            if let Some(target) = pixels.get_mut(y * visible_line..(y + 1) * visible_line) {
                target.copy_from_slice(&row[..visible_line]);
            }
            if !whole {
                break;
            }
        }
    }
    // (A frame left unread has its image data passed over by the next call.)
    frame.width = visible_width as u16;
    frame.height = visible_height as u16;
    frame.buffer = Cow::Owned(pixels);
    Ok(Some(frame))
}

/// Rows in the order an interlaced frame stores them: every 8th from 0, every 8th from 4,
/// every 4th from 2, every 2nd from 1.
fn interlaced_rows(height: usize) -> impl Iterator<Item = usize> {
    [(0, 8), (4, 8), (2, 4), (1, 2)]
        .into_iter()
        .flat_map(move |(start, step)| (start..height).step_by(step))
}

/// Whether any frame names a transparent colour, read without decoding pixels.
fn declares_transparency(bytes: &[u8]) -> bool {
    let mut options = options();
    options.skip_frame_decoding(true);
    let Ok(mut decoder) = options.read_info(Cursor::new(bytes)) else {
        return true;
    };
    while let Ok(Some(frame)) = decoder.next_frame_info() {
        if frame.transparent.is_some() {
            return true;
        }
    }
    false
}

/// Frames in the file, counted without decoding their pixels.
pub fn count_frames(bytes: &[u8]) -> u32 {
    let mut options = options();
    options.skip_frame_decoding(true);
    let Ok(mut decoder) = options.read_info(Cursor::new(bytes)) else {
        return 0;
    };
    let mut frames = 0;
    while let Ok(Some(_)) = decoder.read_next_frame() {
        frames += 1;
    }
    frames
}

/// The `selection` of frames composed on the canvas as a viewer shows them (disposal
/// methods applied); none when it names a frame beyond the last. `max_pixels` bounds kept
/// frames x width x height, checked before each frame is kept.
pub fn decode_frames(bytes: &[u8], max_pixels: u64, selection: Selection) -> Result<Frames> {
    let mut decoder = options().read_info(Cursor::new(bytes)).map_err(corrupt)?;
    let (width, height) = (decoder.width() as u32, decoder.height() as u32);
    // The NETSCAPE extension counts repeats after the first play; without it, one play.
    let loop_count = match decoder.repeat() {
        Repeat::Infinite => 0,
        Repeat::Finite(repeats) => repeats as u32 + 1,
    };
    let mut canvas = Image::filled(width, height, &[0, 0, 0, 0]);
    let (mut images, mut delays) = (Vec::new(), Vec::new());
    let mut index = 0;
    while let Some(frame) = next_frame(&mut decoder, (width, height))? {
        let frame = &frame;
        let keep = selection.keeps(index);
        let kept = (images.len() as u64 + 1) * width as u64 * height as u64;
        if keep && kept > max_pixels.min(super::MAX_DECODED_BYTES / 4) {
            return Err(super::too_many_frames(
                images.len() + 1,
                width,
                height,
                max_pixels,
            ));
        }
        let before = (frame.dispose == DisposalMethod::Previous).then(|| canvas.clone());
        draw(&mut canvas, frame, true);
        if keep {
            images.push(canvas.clone());
            // Browsers show 0 and 1 (hundredths) as 100 ms, as libvips reports them.
            delays.push(if frame.delay <= 1 {
                100
            } else {
                frame.delay as u32 * 10
            });
        }
        if selection.ends_at(index) {
            break;
        }
        match frame.dispose {
            DisposalMethod::Background => clear(&mut canvas, frame),
            DisposalMethod::Previous => canvas = before.expect("kept above"),
            _ => {}
        }
        index += 1;
    }
    if index == 0 && images.is_empty() {
        return Err(EngineError::corrupt("GIF has no frames"));
    }
    Ok(Frames {
        images,
        delays,
        loop_count,
    })
}

/// Copies a frame's pixels onto the canvas (`next_frame` has cut the frame to it). `over`
/// keeps the canvas where the frame is transparent; otherwise a transparent pixel is
/// transparent black, as libnsgif leaves it.
fn draw(canvas: &mut Image, frame: &gif::Frame<'_>, over: bool) {
    let stride = frame.width as usize * 4;
    if stride == 0 {
        return;
    }
    let canvas_stride = canvas.width as usize * 4;
    for (row, source) in frame.buffer.chunks_exact(stride).enumerate() {
        let start = (frame.top as usize + row) * canvas_stride + frame.left as usize * 4;
        let target = &mut canvas.data[start..start + stride];
        for (to, from) in target.chunks_exact_mut(4).zip(source.chunks_exact(4)) {
            if from[3] != 0 {
                to.copy_from_slice(from);
            } else if !over {
                to.fill(0);
            }
        }
    }
}

fn clear(canvas: &mut Image, frame: &gif::Frame<'_>) {
    let width = canvas.width as usize;
    let (left, right) = (
        frame.left as usize,
        frame.left as usize + frame.width as usize,
    );
    let (left, right) = (left.min(width), right.min(width));
    let bottom = (frame.top as usize + frame.height as usize).min(canvas.height as usize);
    for y in frame.top as usize..bottom {
        canvas.data[(y * width + left) * 4..(y * width + right) * 4].fill(0);
    }
}

fn options() -> DecodeOptions {
    let mut options = DecodeOptions::new();
    options.set_color_output(ColorOutput::RGBA);
    // An extension block of an unknown label is skipped, as libvips (libnsgif) skips it.
    options.allow_unknown_blocks(true);
    options
}

fn corrupt(error: gif::DecodingError) -> EngineError {
    EngineError::corrupt(format!("GIF data is invalid ({error})"))
}
