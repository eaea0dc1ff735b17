//! The bodies of the segments that set up decoding (ITU T.81 B.2, B.2.4): frame header,
//! scan header, quantisation and Huffman tables, restart interval.
use super::entropy::Huffman;
use crate::decode::jpeg_markers::SOF2;
use crate::error::{EngineError, Result};

/// Position of each zig-zag coefficient in the natural (row-major) 8x8 order.
pub const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

pub struct Component {
    pub id: u8,
    pub h: usize,
    pub v: usize,
    pub quant_table: usize,
    /// The quantisation table in force at the component's first scan, in natural order.
    pub quant: Option<[u16; 64]>,
    /// Blocks across and down, padded to whole MCUs.
    pub blocks_w: usize,
    pub blocks_h: usize,
    /// Blocks that hold the component's samples (a non-interleaved scan codes only these).
    pub used_w: usize,
    pub used_h: usize,
    /// Quantised coefficients, 64 per block in natural order, blocks row by row.
    pub coefficients: Vec<i16>,
}

impl Component {
    /// Samples across and down before padding.
    pub fn samples(&self, frame: &Frame) -> (usize, usize) {
        (
            (frame.width * self.h).div_ceil(frame.h_max),
            (frame.height * self.v).div_ceil(frame.v_max),
        )
    }
}

pub struct Frame {
    pub progressive: bool,
    pub width: usize,
    pub height: usize,
    pub h_max: usize,
    pub v_max: usize,
    pub mcus_x: usize,
    pub mcus_y: usize,
    pub components: Vec<Component>,
}

/// The frame's size and components, without coefficient storage.
pub fn frame_header(marker: u8, body: &[u8]) -> Result<Frame> {
    let [_precision, h1, h0, w1, w0, count, rest @ ..] = body else {
        return Err(corrupt("frame header is too short"));
    };
    let (height, width) = (
        u16::from_be_bytes([*h1, *h0]) as usize,
        u16::from_be_bytes([*w1, *w0]) as usize,
    );
    if height == 0 {
        return Err(EngineError::unsupported(
            "JPEG whose height is given after the first scan (DNL) is not supported",
        ));
    }
    let count = *count as usize;
    if !matches!(count, 1 | 3) || rest.len() < count * 3 {
        return Err(EngineError::unsupported(format!(
            "12-bit JPEG with {count} components is not supported; grey and colour (3) are"
        )));
    }
    let mut components = Vec::with_capacity(count);
    for spec in rest[..count * 3].chunks_exact(3) {
        let (h, v) = ((spec[1] >> 4) as usize, (spec[1] & 15) as usize);
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || spec[2] > 3 {
            return Err(corrupt("frame header has an invalid component"));
        }
        components.push(Component {
            id: spec[0],
            h,
            v,
            quant_table: spec[2] as usize,
            quant: None,
            blocks_w: 0,
            blocks_h: 0,
            used_w: 0,
            used_h: 0,
            coefficients: Vec::new(),
        });
    }
    let h_max = components.iter().map(|c| c.h).max().unwrap_or(1);
    let v_max = components.iter().map(|c| c.v).max().unwrap_or(1);
    let mut frame = Frame {
        progressive: marker == SOF2,
        width,
        height,
        h_max,
        v_max,
        mcus_x: width.div_ceil(8 * h_max),
        mcus_y: height.div_ceil(8 * v_max),
        components: Vec::new(),
    };
    for component in &mut components {
        component.blocks_w = frame.mcus_x * component.h;
        component.blocks_h = frame.mcus_y * component.v;
        let (w, h) = component.samples(&frame);
        (component.used_w, component.used_h) = (w.div_ceil(8), h.div_ceil(8));
    }
    frame.components = components;
    Ok(frame)
}

impl Frame {
    /// Storage for every coefficient; the caller has checked the size against the limits.
    pub fn allocate(&mut self) {
        for component in &mut self.components {
            component.coefficients = vec![0; component.blocks_w * component.blocks_h * 64];
        }
    }
}

pub struct ScanComponent {
    pub index: usize,
    pub dc_table: usize,
    pub ac_table: usize,
}

pub struct Scan {
    pub components: Vec<ScanComponent>,
    /// Spectral selection, zig-zag positions `start..=end`.
    pub start: usize,
    pub end: usize,
    /// Successive approximation: the bit position of the previous scan (0 for the first)
    /// and of this one.
    pub high: u8,
    pub low: u8,
}

pub fn scan_header(body: &[u8], frame: &Frame) -> Result<Scan> {
    let count = *body
        .first()
        .ok_or_else(|| corrupt("scan header is empty"))? as usize;
    if count == 0 || count > 4 || body.len() < 1 + count * 2 + 3 {
        return Err(corrupt("scan header is too short"));
    }
    let mut components = Vec::with_capacity(count);
    for spec in body[1..1 + count * 2].chunks_exact(2) {
        let index = frame
            .components
            .iter()
            .position(|c| c.id == spec[0])
            .ok_or_else(|| corrupt("scan names a component the frame lacks"))?;
        components.push(ScanComponent {
            index,
            dc_table: (spec[1] >> 4) as usize & 3,
            ac_table: (spec[1] & 15) as usize & 3,
        });
    }
    let tail = &body[1 + count * 2..];
    let scan = Scan {
        components,
        start: tail[0] as usize,
        end: tail[1] as usize,
        high: tail[2] >> 4,
        low: tail[2] & 15,
    };
    let valid = if frame.progressive {
        let dc_only = scan.start == 0 && scan.end == 0;
        let ac_only = scan.start > 0 && scan.end < 64 && scan.start <= scan.end && count == 1;
        (dc_only || ac_only) && scan.low <= 13 && (scan.high == 0 || scan.high == scan.low + 1)
    } else {
        scan.start == 0 && scan.end == 63 && scan.high == 0 && scan.low == 0
    };
    if !valid {
        return Err(corrupt(
            "scan header has invalid spectral or approximation bounds",
        ));
    }
    Ok(scan)
}

/// Tables defined by one DQT segment, in natural order: (destination, table).
pub fn quant_tables(body: &[u8]) -> Result<Vec<(usize, [u16; 64])>> {
    let mut tables = Vec::new();
    let mut rest = body;
    while let [spec, after @ ..] = rest {
        let wide = spec >> 4 == 1;
        let size = if wide { 128 } else { 64 };
        let values = after
            .get(..size)
            .ok_or_else(|| corrupt("quantisation table is truncated"))?;
        let mut table = [0u16; 64];
        for (k, &position) in ZIGZAG.iter().enumerate() {
            table[position] = if wide {
                u16::from_be_bytes([values[2 * k], values[2 * k + 1]])
            } else {
                values[k] as u16
            };
        }
        tables.push(((spec & 15) as usize & 3, table));
        rest = &after[size..];
    }
    Ok(tables)
}

/// Tables defined by one DHT segment: (class 0 = DC or 1 = AC, destination, table).
pub fn huffman_tables(body: &[u8]) -> Result<Vec<(usize, usize, Huffman)>> {
    let mut tables = Vec::new();
    let mut rest = body;
    while let [spec, after @ ..] = rest {
        let counts: [u8; 16] = after
            .get(..16)
            .and_then(|c| c.try_into().ok())
            .ok_or_else(|| corrupt("Huffman table is truncated"))?;
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        let values = after
            .get(16..16 + total)
            .ok_or_else(|| corrupt("Huffman table is truncated"))?;
        let class = (spec >> 4) as usize;
        if class > 1 {
            return Err(corrupt("Huffman table has an invalid class"));
        }
        tables.push((
            class,
            (spec & 15) as usize & 3,
            Huffman::new(&counts, values)?,
        ));
        rest = &after[16 + total..];
    }
    Ok(tables)
}

pub fn restart_interval(body: &[u8]) -> Result<usize> {
    match body {
        [high, low, ..] => Ok(u16::from_be_bytes([*high, *low]) as usize),
        _ => Err(corrupt("restart interval segment is too short")),
    }
}

pub fn corrupt(what: &str) -> EngineError {
    EngineError::corrupt(format!("12-bit JPEG: {what}"))
}
