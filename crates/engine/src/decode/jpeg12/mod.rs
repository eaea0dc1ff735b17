//! 12-bit DCT JPEG (ITU T.81 extended sequential, SOF1, and progressive, SOF2, Huffman
//! coded; medical and scientific cameras write them), which libjpeg-turbo 2 inside mozjpeg
//! refuses and no Rust crate reads: decoded here at full size, grey, YCbCr or RGB, and
//! rounded to 8 bits. Arithmetic-coded and hierarchical 12-bit files stay unsupported.
mod colour;
mod entropy;
mod idct;
mod scan;
mod tables;

use super::jpeg_markers::{header, metadata, segments, EOI, SOF0, SOF2, SOS};
use super::{Header, MAX_DECODED_BYTES};
use crate::error::{EngineError, ErrorKind, Result};
use crate::image::Image;
use crate::spec::FailOn;
use scan::Tables;
use tables::{corrupt, Frame};

const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const DHT: u8 = 0xC4;
const DQT: u8 = 0xDB;
const DRI: u8 = 0xDD;

/// While decoding, each pixel needs its coefficients (2 bytes per sample), its 12-bit
/// samples (2 more) and the 8-bit result: about 16 bytes of colour.
const BYTES_PER_PIXEL_WHILE_DECODING: u64 = 16;

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let mut app = Vec::new();
    for segment in segments(bytes) {
        let segment = segment?;
        match segment.marker {
            APP1 | APP2 => app.push((segment.marker, segment.body)),
            SOF0..=SOF2 => {
                let frame = tables::frame_header(segment.marker, segment.body)?;
                let (exif, icc) = metadata(app);
                let (width, height) = (frame.width as u32, frame.height as u32);
                return Ok(header(width, height, exif, icc));
            }
            SOS => break,
            _ => {}
        }
    }
    Err(corrupt("no frame header before the first scan"))
}

/// The caller has checked `header` against the limits.
pub fn decode(bytes: &[u8], header: &Header, fail_on: FailOn) -> Result<Image> {
    if header.pixels() * BYTES_PER_PIXEL_WHILE_DECODING > MAX_DECODED_BYTES * 4 {
        return Err(EngineError::new(
            ErrorKind::InputTooLarge,
            format!(
                "12-bit JPEG of {}x{} would need more than {} MiB to decode",
                header.width,
                header.height,
                (MAX_DECODED_BYTES * 4) >> 20
            ),
        ));
    }
    let mut quant: [Option<[u16; 64]>; 4] = [None; 4];
    let mut tables = Tables {
        dc: Default::default(),
        ac: Default::default(),
    };
    let mut restart_interval = 0;
    let mut adobe_transform = None;
    let mut frame: Option<Frame> = None;
    let mut ended = false;
    for segment in segments(bytes) {
        let segment = segment?;
        let body = segment.body;
        match segment.marker {
            DQT => {
                for (destination, table) in tables::quant_tables(body)? {
                    quant[destination] = Some(table);
                }
            }
            DHT => {
                for (class, destination, table) in tables::huffman_tables(body)? {
                    let slot = if class == 0 {
                        &mut tables.dc
                    } else {
                        &mut tables.ac
                    };
                    slot[destination] = Some(table);
                }
            }
            DRI => restart_interval = tables::restart_interval(body)?,
            APP14 if body.starts_with(b"Adobe") && body.len() >= 12 => {
                adobe_transform = Some(body[11]);
            }
            SOF0..=SOF2 if frame.is_none() => {
                let mut parsed = tables::frame_header(segment.marker, body)?;
                if (parsed.width as u32, parsed.height as u32) != (header.width, header.height) {
                    return Err(corrupt("frame header differs from the one first read"));
                }
                parsed.allocate();
                frame = Some(parsed);
            }
            SOS => {
                let frame = frame
                    .as_mut()
                    .ok_or_else(|| corrupt("scan before the frame header"))?;
                let scan = tables::scan_header(body, frame)?;
                for coded in &scan.components {
                    let component = &mut frame.components[coded.index];
                    component.quant = component.quant.or(quant[component.quant_table]);
                }
                scan::decode_scan(frame, &scan, &tables, restart_interval, segment.entropy)?;
            }
            EOI => ended = true,
            _ => {}
        }
    }
    let frame = frame.ok_or_else(|| corrupt("no frame header"))?;
    if !ended && fail_on != FailOn::None {
        return Err(EngineError::corrupt(format!(
            "JPEG data is truncated (failOn: '{}')",
            fail_on.name()
        )));
    }
    let planes = frame
        .components
        .iter()
        .map(|component| {
            let quant = component
                .quant
                .ok_or_else(|| corrupt("a component has no scan or no quantisation table"))?;
            Ok(idct::plane(component, &quant))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(colour::image(
        &frame,
        &planes,
        colour::model(&frame, adobe_transform),
    ))
}
