//! Dequantisation and the inverse DCT (ITU T.81 A.3.3) of a component's blocks into its
//! plane of 12-bit samples, in floating point (exact to well under a sample's step),
//! rounded to whole samples as libjpeg has them.
use std::f32::consts::PI;
use std::sync::OnceLock;

use super::tables::Component;

const CENTRE: f32 = 2048.0;
const MAX_SAMPLE: f32 = 4095.0;

/// Samples of one component, rows of `width` padded to whole blocks.
pub struct Plane {
    pub width: usize,
    pub samples: Vec<u16>,
}

/// `BASIS[x][u]` = C(u) / 2 * cos((2x + 1) u pi / 16), C(0) = 1 / sqrt(2), else 1.
fn basis() -> &'static [[f32; 8]; 8] {
    static BASIS: OnceLock<[[f32; 8]; 8]> = OnceLock::new();
    BASIS.get_or_init(|| {
        let mut basis = [[0.0; 8]; 8];
        for (x, row) in basis.iter_mut().enumerate() {
            for (u, value) in row.iter_mut().enumerate() {
                let scale = if u == 0 { 0.5 / 2f32.sqrt() } else { 0.5 };
                *value = scale * ((2 * x + 1) as f32 * u as f32 * PI / 16.0).cos();
            }
        }
        basis
    })
}

pub fn plane(component: &Component, quant: &[u16; 64]) -> Plane {
    let (width, height) = (component.blocks_w * 8, component.blocks_h * 8);
    let mut samples = vec![0u16; width * height];
    let basis = basis();
    for (index, block) in component.coefficients.chunks_exact(64).enumerate() {
        let (block_x, block_y) = (index % component.blocks_w, index / component.blocks_w);
        let mut spatial = [0.0f32; 64];
        inverse(block, quant, basis, &mut spatial);
        for y in 0..8 {
            let row = (block_y * 8 + y) * width + block_x * 8;
            for (x, value) in spatial[y * 8..y * 8 + 8].iter().enumerate() {
                samples[row + x] = (value + CENTRE + 0.5).clamp(0.0, MAX_SAMPLE) as u16;
            }
        }
    }
    Plane { width, samples }
}

/// Rows then columns: `spatial[y][x]` = sum over v, u of basis[y][v] basis[x][u] F[v][u].
fn inverse(block: &[i16], quant: &[u16; 64], basis: &[[f32; 8]; 8], spatial: &mut [f32; 64]) {
    let mut rows = [0.0f32; 64];
    for v in 0..8 {
        let frequencies: [f32; 8] =
            std::array::from_fn(|u| block[v * 8 + u] as f32 * quant[v * 8 + u] as f32);
        if frequencies[1..].iter().all(|&f| f == 0.0) {
            rows[v * 8..v * 8 + 8].fill(frequencies[0] * basis[0][0]);
            continue;
        }
        for x in 0..8 {
            rows[v * 8 + x] = (0..8).map(|u| basis[x][u] * frequencies[u]).sum();
        }
    }
    for x in 0..8 {
        for y in 0..8 {
            spatial[y * 8 + x] = (0..8).map(|v| basis[y][v] * rows[v * 8 + x]).sum();
        }
    }
}
