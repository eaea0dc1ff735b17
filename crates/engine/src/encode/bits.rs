//! Samples narrower than a byte, as PNG and TIFF store them.

/// `values` of `bits` bits each (1, 2 or 4; each below 2^bits), packed from the most
/// significant bit, the row ending on a byte boundary.
pub fn pack(values: impl IntoIterator<Item = u8>, bits: u8, out: &mut Vec<u8>) {
    let (mut byte, mut filled) = (0u8, 0u8);
    for value in values {
        filled += bits;
        byte |= value << (8 - filled);
        if filled == 8 {
            out.push(byte);
            (byte, filled) = (0, 0);
        }
    }
    if filled > 0 {
        out.push(byte);
    }
}

/// The top `bits` of each 8-bit sample, packed (libvips' `eightbit2nbit`).
pub fn pack_top(row: &[u8], bits: u8, out: &mut Vec<u8>) {
    pack(row.iter().map(|&v| v >> (8 - bits)), bits, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_the_top_bits_from_the_left() {
        let mut out = Vec::new();
        pack_top(&[255, 0, 128, 127, 255, 0, 0, 0, 200], 1, &mut out);
        assert_eq!(out, [0b1010_1000, 0b1000_0000]);
        out.clear();
        pack_top(&[0xF0, 0x10, 0xAB], 4, &mut out);
        assert_eq!(out, [0xF1, 0xA0]);
        out.clear();
        pack([3, 0, 1], 2, &mut out);
        assert_eq!(out, [0b1100_0100]);
    }
}
